import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { temporaryFolder } from '../fixtures/temporary.js';

// A run leaves nothing in the machine's temporary folder: vitest.config.ts gives the run a
// private TMPDIR (test/fixtures/tmp-run.ts) and each file one below it (test/fixtures/tmp-file.ts)
// that must be empty when the file ends. This runs vitest with that wiring on two small cases,
// one clean and one that forgets a folder, with TMPDIR an empty folder, and counts what is in it
// before and after.

it('a run leaves no folder in TMPDIR, and a file that forgets one fails, naming it', () => {
  const tmp = temporaryFolder('tls-floor-tmp-check-');
  const before = readdirSync(tmp);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TLS_FLOOR_') && !k.startsWith('VITEST')),
  );
  const run = spawnSync(
    process.execPath,
    [path.resolve('node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/fixtures/tmp-check/vitest.config.ts'],
    { env: { ...env, TMPDIR: tmp, NO_COLOR: '1' }, encoding: 'utf8' },
  );
  const output = run.stdout + run.stderr;
  expect(before).toEqual([]);
  expect(readdirSync(tmp)).toEqual([]);
  expect(run.status, output).toBe(1);
  expect(output).toMatch(/FAIL .*leaky\.case\.ts/);
  expect(output).toMatch(/left 1 temporary entries behind \(removed now\): forgotten-\w{6}/);
  expect(output).not.toMatch(/FAIL .*clean\.case\.ts/);
  expect(output).toMatch(/Tests +2 passed/);
});
