import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, timedGroup } from '../../src/runtime/steps.js';
import { captureLog } from '../fixtures/log.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The progress a long build shows, with real commands: the log groups, the heartbeat, and on
// failure the last lines and where the full log is.
const dir = temporaryFolder('tls-floor-steps-');

describe('runCommand', () => {
  it('on failure: the last 40 lines in the log, the full output in the log file, its path in the error', async () => {
    const logFile = path.join(dir, 'fail.log');
    const { log, error } = await captureLog(() =>
      runCommand('sh', ['-c', 'for i in $(seq 1 100); do echo "line $i"; done; exit 3'], { cwd: dir, logFile }),
    );
    expect((error as Error).message).toMatch(
      new RegExp(`^'sh -c for i .*' failed with exit code 3 after \\d+\\.\\d s; full log: ${logFile}$`),
    );
    expect(log).toContain(`--- last lines of ${logFile} ---`);
    expect(log).toMatch(/line 61\nline 62\n[\s\S]*line 100/);
    expect(log).not.toMatch(/line 60\n/);
    const full = readFileSync(logFile, 'utf8');
    expect(full).toContain('line 1\n');
    expect(full).toContain('line 100\n');
    expect(childProcesses()).toEqual([]);
  });

  it("a build's own words are data: its last lines and its heartbeat issue no workflow command", async () => {
    const logFile = path.join(dir, 'hostile.log');
    const say = 'printf "cc ok\\n::error::FORGED\\n  ::add-mask::FORGED\\r::warning::FORGED\\n"';
    const { log } = await captureLog(() =>
      runCommand('sh', ['-c', `${say}; sleep 0.3; ${say}; exit 1`], { cwd: dir, logFile, heartbeatMs: 100 }),
    );
    expect(log).toContain('FORGED');
    expect(log.split('\n').filter((l) => /^::[a-z-]+::FORGED/.test(l.trimStart()))).toEqual([]);
    expect(log).not.toContain('\r');
  });

  it('shows a heartbeat with the elapsed time and the latest line while the command runs', async () => {
    const logFile = path.join(dir, 'beat.log');
    const { log, error } = await captureLog(() =>
      runCommand('sh', ['-c', 'echo compiling ssl.c; sleep 0.5; echo done'], { cwd: dir, logFile, heartbeatMs: 100 }),
    );
    expect(error).toBeUndefined();
    expect(log).toMatch(/ {2}\.\.\. 0\.\d s elapsed; latest: compiling ssl\.c/);
    // The compiler's output stays in the file: only the command line and the heartbeat are logged.
    expect(log).not.toMatch(/^done$/m);
    expect(readFileSync(logFile, 'utf8')).toMatch(/compiling ssl\.c\ndone\n$/);
  });
});

describe('timedGroup', () => {
  it('wraps a stage in a log group that closes with its elapsed time, also when it fails', async () => {
    const ok = await captureLog(() => timedGroup('Build OpenSSL 3.0.22 (2 jobs)', async () => 42));
    expect(ok.value).toBe(42);
    expect(ok.log).toMatch(
      /^::group::Build OpenSSL 3\.0\.22 \(2 jobs\)\nBuild OpenSSL 3\.0\.22 \(2 jobs\): \d+\.\d s\n::endgroup::\n$/,
    );
    const failed = await captureLog(() => timedGroup('Verify the new runtime', () => Promise.reject(new Error('no'))));
    expect((failed.error as Error).message).toBe('no');
    expect(failed.log).toMatch(/Verify the new runtime: \d+\.\d s\n::endgroup::\n$/);
  });
});
