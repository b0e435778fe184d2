import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectRuntime } from '../../src/runtime/verify.js';
import { runProcess } from '../../src/shared/process.js';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// A child that forks must not keep the step alive, and nothing it forked may outlive it.
// Each case marks its grandchild with a unique sleep length, found again with ps.
const marker = () => `${1000 + Math.floor(Math.random() * 1000)}.${process.pid}${Math.floor(Math.random() * 1e6)}`;
const running = (mark: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`sleep ${mark}`));

/** A 'python' that leaves a grandchild holding its pipes, then runs the real one. */
function forkingPython(mark: string): string {
  const file = path.join(temporaryFolder('tls-floor-forking-'), 'python3');
  writeFileSync(file, `#!/bin/sh\nsleep ${mark} &\nexec python3 "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('a child that forks (the action run as the runner runs it)', () => {
  it.each([
    ['waits for its grandchild', (m: string) => `sleep ${m}; true`],
    ['leaves its grandchild holding the pipes', (m: string) => `sleep ${m} & true`],
  ])(
    'client-shell command that %s: the probe ends within the handshake timeouts and nothing is left',
    async (_name, command) => {
      const mark = marker();
      const run = await runAction({ client: 'command', 'client-shell': 'true', 'client-command': command(mark) });
      // Three servers, one command each, each killed after the handshake timeout (5 s + 2 s).
      expect(run.ms).toBeLessThan(3 * 7_000 + 5_000);
      expect(run.outputs['verdict'], run.stdout.slice(-2000)).toBeDefined();
      expect(running(mark)).toEqual([]);
    },
    60_000,
  );

  it('a Python client whose interpreter leaves a grandchild: the probe completes and nothing is left', async () => {
    const mark = marker();
    const run = await runAction({ 'python-path': forkingPython(mark), 'probe-mode': 'default' });
    expect(run.ms).toBeLessThan(15_000);
    // The machine python3's own verdict (Debian's default context completes static RSA at TLS 1.0:
    // downgrade, issue 27; pyenv's 3.10+: pass): what matters is that the probe completed.
    expect(['pass', 'downgrade'], run.stdout.slice(-2000)).toContain(run.outputs['verdict']);
    expect(running(mark)).toEqual([]);
  }, 60_000);
});

describe('the process runner', () => {
  it('the build verification of an interpreter that leaves a grandchild returns at once', async () => {
    const mark = marker();
    const started = performance.now();
    const seen = await inspectRuntime(forkingPython(mark));
    expect(seen.pythonVersion).toMatch(/^3\./);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(running(mark)).toEqual([]);
  }, 30_000);

  it('a timeout kills the whole process group', async () => {
    const mark = marker();
    const result = await runProcess('sh', ['-c', `sleep ${mark}; true`], { timeoutMs: 300 });
    expect(result).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
    expect(running(mark)).toEqual([]);
  });

  it.each([
    ['ENOENT', '/nonexistent/program', /^cannot start \/nonexistent\/program: ENOENT \(no such file/],
    ['EACCES', 'not-executable', /^cannot start \/.*\/not-executable: EACCES \(permission denied/],
  ])('a spawn error (%s) is one line naming the program', async (_code, program, message) => {
    const file = program.startsWith('/') ? program : path.join(temporaryFolder('tls-floor-'), program);
    if (!program.startsWith('/')) writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    await expect(runProcess(file, [], { timeoutMs: 1000 })).rejects.toThrow(message);
  });

  it('a work folder is not left in RUNNER_TEMP by a run that fails', async () => {
    const run = await runAction({ client: 'command', 'client-command': 'false' });
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('tls-floor-') && f !== 'tls-floor-logs')).toEqual([]);
    expect(existsSync(run.runnerTemp)).toBe(true);
  }, 60_000);
});
