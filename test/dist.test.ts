import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './fixtures/action.js';
import { temporaryFolder } from './fixtures/temporary.js';

describe('dist/', () => {
  it('is exactly a fresh bundle of src/ (run `npm run build` and commit dist/)', () => {
    const fresh = temporaryFolder('tls-floor-dist-');
    execFileSync(
      path.join(ROOT, 'node_modules/.bin/ncc'),
      ['build', 'src/index.ts', '-o', fresh, '--license', 'licenses.txt', '--target', 'es2022', '--quiet'],
      { cwd: ROOT },
    );
    const committed = path.join(ROOT, 'dist');
    expect(readdirSync(committed).sort()).toEqual(readdirSync(fresh).sort());
    for (const file of readdirSync(fresh)) {
      expect(readFileSync(path.join(committed, file), 'utf8'), `dist/${file} is stale`).toBe(
        readFileSync(path.join(fresh, file), 'utf8'),
      );
    }
  });
});
