import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUT_LIMIT, runProcess } from '../../src/shared/process.js';
import { type ActionRun, runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// A child's output is bounded: a flood stops the child with one line, the step's Node.js stays
// small, and the step cleans up. A child's whole tree ends with it, even what left its group.

/** Runs the bundle, sampling its peak resident size (VmHWM) from /proc while it runs. */
async function measured(inputs: Record<string, string>): Promise<ActionRun & { peakMiB: number }> {
  let peakKiB = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = await runAction(inputs, {}, (child) => {
    timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // ended
      }
    }, 20);
  });
  clearInterval(timer);
  return { ...run, peakMiB: peakKiB / 1024 };
}

/** The workflow-command lines of a step's log, as the runner reads them. */
const commands = (stdout: string) => stdout.split('\n').filter((l) => l.trimStart().startsWith('::'));

/** What the step left in RUNNER_TEMP besides the runner's own files and the build logs. */
const leftIn = (runnerTemp: string) =>
  readdirSync(runnerTemp, { recursive: true, encoding: 'utf8' }).filter(
    (f) => !f.startsWith('github-') && f !== 'step-summary.md' && !f.startsWith('tls-floor-logs'),
  );

/** An executable script in a folder of its own. */
function script(name: string, text: string): string {
  const file = path.join(temporaryFolder('tls-floor-flood-'), name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('a child that floods its output (the action run as the runner runs it)', () => {
  it('client-command: yes {url} ends with one ::error:: line naming client-command, Node.js under 1 GiB, nothing left', async () => {
    const run = await measured({ client: 'command', 'client-command': 'yes {url}' });
    expect(run.code).toBe(1);
    const errors = commands(run.stdout).filter((l) => l.startsWith('::error'));
    expect(errors, run.stdout.slice(-2000)).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::client-command: .*yes wrote more than 4 MiB to its stdout and was stopped/);
    expect(run.peakMiB).toBeGreaterThan(0);
    expect(run.peakMiB).toBeLessThan(1024);
    expect(leftIn(run.runnerTemp)).toEqual([]);
  }, 60_000);

  it('a client-path whose --version floods: one ::error:: line naming client-path, under 1 GiB', async () => {
    const curl = script('curl', '#!/bin/sh\nexec yes\n');
    const run = await measured({ client: 'curl', 'client-path': curl });
    const errors = commands(run.stdout).filter((l) => l.startsWith('::error'));
    expect(errors, run.stdout.slice(-2000)).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::client-path: .*curl --version wrote more than 4 MiB to its stdout and was stopped/,
    );
    expect(run.peakMiB).toBeLessThan(1024);
    expect(leftIn(run.runnerTemp)).toEqual([]);
  }, 60_000);

  it('a python-path that floods: one ::error:: line naming python-path, under 1 GiB', async () => {
    const python = script('python3', '#!/bin/sh\nexec yes\n');
    const run = await measured({ 'python-path': python });
    const errors = commands(run.stdout).filter((l) => l.startsWith('::error'));
    expect(errors, run.stdout.slice(-2000)).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::python-path: .*python3 wrote more than 4 MiB to its stdout and was stopped/);
    expect(run.peakMiB).toBeLessThan(1024);
    expect(leftIn(run.runnerTemp)).toEqual([]);
  }, 60_000);
});

describe('the process runner bounds what it keeps', () => {
  it('a flood past the limit kills the child and keeps the limit, no more', async () => {
    const result = await runProcess('yes', [], { timeoutMs: 30_000 });
    expect(result.flooded).toBe('stdout');
    expect(result.timedOut).toBe(false);
    expect(result.stdout.length).toBe(OUTPUT_LIMIT);
  });

  it('a flood on stderr is said as such; a smaller limit is kept', async () => {
    const result = await runProcess('sh', ['-c', 'yes >&2'], { timeoutMs: 30_000, outputLimit: 1000 });
    expect(result.flooded).toBe('stderr');
    expect(result.stderr.length).toBe(1000);
  });

  it('output under the limit is kept whole and is no flood', async () => {
    const result = await runProcess('sh', ['-c', 'head -c 100000 /dev/zero | tr "\\0" y'], { timeoutMs: 30_000 });
    expect(result.flooded).toBeUndefined();
    expect(result.stdout.length).toBe(100_000);
  });
});

/** Processes whose command line holds `sleep <mark>`. */
const running = (mark: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`sleep ${mark}`));
const marker = () => `${3000 + Math.floor(Math.random() * 1000)}.${process.pid}${Math.floor(Math.random() * 1e6)}`;

describe('whole process trees', () => {
  it.each([
    ['setsid', (m: string) => `setsid sleep ${m} & true`],
    ['a double fork', (m: string) => `(sleep ${m} &) ; true`],
    [
      'setsid and a double fork with its output closed',
      (m: string) => `(setsid sleep ${m} >/dev/null 2>&1 <&- &) ; true`,
    ],
  ])(
    'a client-shell command that leaves a process by %s leaves nothing running after the step',
    async (_name, command) => {
      const mark = marker();
      const run = await runAction({ client: 'command', 'client-shell': 'true', 'client-command': command(mark) });
      expect(run.outputs['verdict'], run.stdout.slice(-2000)).toBeDefined();
      expect(running(mark)).toEqual([]);
    },
    60_000,
  );

  it('the process runner ends a setsid grandchild with its child', async () => {
    const mark = marker();
    const result = await runProcess('sh', ['-c', `setsid sleep ${mark} >/dev/null 2>&1 & true`], { timeoutMs: 5_000 });
    expect(result.code).toBe(0);
    expect(running(mark)).toEqual([]);
  });
});
