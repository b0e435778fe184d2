import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_NODE, ACTION_YML, DIST, runAction, runActionYml } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// What a user reads when something around the step is wrong: one line that says what happened
// and names the right input or variable.

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const errors = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error::'));

/** Can this process make a private read-only bind mount (root with a mount namespace)? */
const canMount = (() => {
  try {
    execFileSync(
      'unshare',
      ['-m', 'sh', '-c', 'mount --bind -o ro / /mnt 2>/dev/null || mount --bind -o ro /tmp /tmp'],
      {
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    return false;
  }
})();

describe('messages (the action run as the runner runs it)', () => {
  it('a client-path whose --version hangs says it did not answer in time, not "exited null"', async () => {
    const folder = temporaryFolder('tls-floor-hang-');
    const curl = path.join(folder, 'curl');
    writeFileSync(curl, '#!/bin/sh\nexec sleep 60\n');
    chmodSync(curl, 0o755);
    const run = await runAction({ client: 'curl', 'client-path': curl });
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(
        /^::error::client-path: .*\/curl --version did not answer within 10 s; is it a curl binary\?$/,
      ),
    ]);
    expect(run.stdout).not.toContain('exited null');
  }, 60_000);

  // The bundle runs in a mount namespace of its own where RUNNER_TEMP is a read-only bind mount.
  it.skipIf(!canMount)(
    'a read-only RUNNER_TEMP is one line naming RUNNER_TEMP',
    async () => {
      const folder = temporaryFolder('tls-floor-ro-');
      const readOnly = path.join(folder, 'runner-temp');
      mkdirSync(readOnly);
      const wrapper = path.join(folder, 'main.cjs');
      writeFileSync(
        wrapper,
        `const { spawnSync } = require('node:child_process');
const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind -o ro "$RUNNER_TEMP" "$RUNNER_TEMP" && exec "$0" "$1"', ${JSON.stringify(ACTION_NODE)}, ${JSON.stringify(DIST)}], { stdio: 'inherit' });
process.exit(r.status ?? 1);
`,
      );
      const yml = path.join(folder, 'action.yml');
      writeFileSync(yml, readFileSync(ACTION_YML, 'utf8').replace(/main: 'dist\/index\.js'/, `main: '${wrapper}'`));
      const elsewhere = temporaryFolder('tls-floor-runner-files-');
      const files = Object.fromEntries(
        ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH', 'GITHUB_ENV'].map((k) => {
          const file = path.join(elsewhere, k);
          writeFileSync(file, '');
          return [k, file];
        }),
      );
      const run = await runActionYml(
        yml,
        { 'python-path': '/usr/bin/python3', libraries: 'none' },
        { RUNNER_TEMP: readOnly, ...files },
      );
      expect(errors(run.stdout)).toEqual([
        expect.stringMatching(
          /^::error::tls-floor: cannot create a folder in RUNNER_TEMP \(.*runner-temp\) \(EROFS: a read-only file system\); this step needs a writable RUNNER_TEMP\.$/,
        ),
      ]);
    },
    60_000,
  );

  it('a workspace that is a symbolic link: a version file inside it is inside it', async () => {
    const real = temporaryFolder('tls-floor-real-ws-');
    writeFileSync(path.join(real, '.python-version'), '3.11.2\n');
    const link = path.join(temporaryFolder('tls-floor-ws-link-'), 'workspace');
    symlinkSync(real, link);
    // The sources are missing: the run stops at its first download, after the version file is read.
    const run = await runAction(
      {
        'python-version-file': '.python-version',
        'openssl-version': '3.0.22',
        'openssl-source-url': 'http://127.0.0.1:9/missing/openssl-{version}.tar.gz',
        'runtime-index': '',
      },
      { GITHUB_WORKSPACE: link, RUNNER_TOOL_CACHE: temporaryFolder('tls-floor-toolcache-') },
    );
    expect(run.stdout).not.toContain('outside the workspace');
    expect(run.stdout).toMatch(/python-version: .*3\.11\.2/);
  }, 60_000);
});
