import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../fixtures/action.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The bundles package.json's build script makes: the action's (dist/) and the merge action's
// (dist/merge/, which merge/action.yml runs), each from src/.
const BUNDLES = [
  { entry: 'src/index.ts', out: '' },
  { entry: 'src/merge.ts', out: 'merge' },
];

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

describe('dist/', () => {
  // Two ncc builds: about 40 s each on a quiet machine, much longer on a shared one.
  it('is exactly a fresh bundle of src/, the action and the merge action (run `npm run build` and commit dist/)', () => {
    const fresh = temporaryFolder('tls-floor-dist-');
    for (const { entry, out } of BUNDLES) {
      execFileSync(
        path.join(ROOT, 'node_modules/.bin/ncc'),
        ['build', entry, '-o', path.join(fresh, out), '--license', 'licenses.txt', '--target', 'es2022', '--quiet'],
        { cwd: ROOT },
      );
    }
    const committed = path.join(ROOT, 'dist');
    expect(files(committed)).toEqual(files(fresh));
    expect(files(committed)).toContain(path.join('merge', 'index.js'));
    for (const file of files(fresh)) {
      expect(readFileSync(path.join(committed, file), 'utf8'), `dist/${file} is stale`).toBe(
        readFileSync(path.join(fresh, file), 'utf8'),
      );
    }
  }, 600_000);

  it("is what the build script makes: one ncc build per bundle, the merge's into dist/merge", () => {
    const build = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.build as string;
    for (const { entry, out } of BUNDLES)
      expect(build).toContain(`ncc build ${entry} -o ${path.posix.join('dist', out)} `);
  });
});
