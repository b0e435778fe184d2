import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { GENERATED } from '../../scripts/docs.mjs';
import { temporaryFolder } from '../fixtures/temporary.js';

// `npm run docs -- --check` as a process: it loads the TypeScript sources through vite, finds a
// stale page, names it and exits 1; without --check it writes the page the data gives.

const script = path.resolve('scripts/docs.mjs');
const docs = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

it('npm run docs -- --check names a stale page and exits 1; npm run docs writes it again', () => {
  const root = temporaryFolder('tls-floor-docs-');
  for (const part of GENERATED) {
    mkdirSync(path.dirname(path.join(root, part.page)), { recursive: true });
    cpSync(part.page, path.join(root, part.page));
  }
  const page = path.join(root, 'docs/policies.md');
  writeFileSync(page, readFileSync(page, 'utf8').replace('| `rfc9325.no-null` |', '| `rfc9325.no-null-old` |'));
  const check = docs('--check', '--root', root);
  expect(check.status).toBe(1);
  expect(check.stderr).toContain('docs/policies.md: stale');
  const write = docs('--root', root);
  expect(write.status, write.stderr).toBe(0);
  expect(write.stdout).toContain('wrote docs/policies.md');
  expect(readFileSync(page, 'utf8')).toBe(readFileSync('docs/policies.md', 'utf8'));
});
