import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnerInputEnv } from '../../scripts/runner-inputs.mjs';
import { ACTION_NODE, DIST, parseOutputs } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Too few file descriptors must end the step with one ::error:: line, never with an
// unhandled 'error' event and a stack trace. Node.js 24 itself segfaults before running any
// JavaScript below 22 descriptors on this machine, so 20 is run on the Node.js running the
// tests (20 here) and the bundle's Node.js 24 from 22 up.
function runLimited(node: string, limit: number, inputs: Record<string, string>) {
  const temp = temporaryFolder('tls-floor-ulimit-');
  const output = path.join(temp, 'github-output');
  writeFileSync(output, '');
  // action.yml's defaults for every input not given, as the runner passes them.
  const inputEnv = runnerInputEnv(inputs);
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')),
  );
  return new Promise<{ code: number | null; stdout: string; stderr: string; outputs: Record<string, string> }>(
    (resolve) => {
      execFile(
        'bash',
        ['-c', `ulimit -n ${limit}; exec "$0" "$1"`, node, DIST],
        { env: { ...base, RUNNER_TEMP: temp, GITHUB_OUTPUT: output, ...inputEnv } },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            stdout,
            stderr,
            outputs: parseOutputs(readFileSync(output, 'utf8')),
          }),
      );
    },
  );
}

const cases: Array<[string, number]> = [
  [process.execPath, 20],
  ...[22, 24, 26, 28].map((n): [string, number] => [ACTION_NODE, n]),
];

describe('ulimit -n', () => {
  it.each(cases)(
    '%s at %i descriptors: a verdict or one ::error:: line, no crash, nothing left running',
    async (node, limit) => {
      const runs: Array<Record<string, string>> = [
        { 'python-path': 'python3' },
        { client: 'command', 'client-command': 'true' },
      ];
      for (const inputs of runs) {
        const run = await runLimited(node, limit, inputs);
        const said = `${run.stdout.slice(-1500)}\n${run.stderr.slice(-1500)}`;
        expect(run.stderr, said).not.toMatch(/Unhandled|^\s+at /m);
        expect(run.code, said).not.toBeNull(); // not killed by a signal (a segfault)
        if (run.outputs['verdict'] === undefined) {
          expect(run.code, said).toBe(1);
          expect(run.stdout.match(/^::error::/gm), said).toHaveLength(1);
          expect(run.stdout, said).toMatch(/^::error::.*(EMFILE|too many open files)/m);
          expect(run.stdout, said).not.toMatch(/python-path: cannot run .*give a Python/);
        }
        expect(childProcesses()).toEqual([]);
      }
    },
    60_000,
  );
});
