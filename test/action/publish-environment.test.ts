import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { publish } from '../../src/action/publish.js';
import { readInputs } from '../../src/inputs/inputs.js';
import { NodeClient } from '../../src/probe/clients/node.js';
import type { ObtainedRuntime } from '../../src/runtime/sources/contract.js';
import { captureLog } from '../fixtures/log.js';
import { childProcesses } from '../fixtures/processes.js';
import { probeReport } from '../fixtures/report.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// publish() after a pass, with a runtime the action obtained: update-environment (setup-python's
// input) says whether PATH and the job's environment change. The report is a real pass (the
// Node.js running the tests, probe-mode default); the obtained runtime is what a build hands over
// (a build takes minutes: test/runtime/build.test.ts runs the bundle on a real one); the runner's
// GITHUB_PATH, GITHUB_ENV and GITHUB_OUTPUT are files, as on a runner.
afterAll(() => {
  expect(childProcesses()).toEqual([]);
});

async function published(updateEnvironment: string) {
  const report = await probeReport(new NodeClient(process.execPath), { probeMode: 'default' });
  expect(report.verdict).toBe('pass');
  const runner = temporaryFolder('tls-floor-publish-');
  const files = Object.fromEntries(
    ['GITHUB_PATH', 'GITHUB_ENV', 'GITHUB_OUTPUT'].map((name) => [name, path.join(runner, name.toLowerCase())]),
  );
  for (const file of Object.values(files)) writeFileSync(file, '');
  Object.assign(process.env, files, { RUNNER_TEMP: runner });
  delete process.env['GITHUB_STEP_SUMMARY'];
  const given: Record<string, string> = { ...actionDefaults(), 'update-environment': updateEnvironment };
  const inputs = await readInputs((name) => given[name] ?? '');
  const prefix = path.join(runner, 'toolcache', 'CPython-hardened', '3.13.5', 'x64');
  const obtained = {
    runtime: {
      prefix,
      python: path.join(prefix, 'bin', 'python3'),
      verification: { pythonVersion: '3.13.5', freeThreaded: false, opensslVersion: 'OpenSSL 3.5.9 1 Jul 2026' },
    },
    source: 'tool-cache',
    built: false,
    fromArchive: false,
  } as unknown as ObtainedRuntime;
  const { error } = await captureLog(() => publish(report, inputs, { obtained }));
  expect(error).toBeUndefined();
  const read = (name: string) => readFileSync(files[name]!, 'utf8');
  return { prefix, path: read('GITHUB_PATH'), env: read('GITHUB_ENV'), output: read('GITHUB_OUTPUT') };
}

describe('update-environment', () => {
  it('true (the default): the runtime on PATH and pythonLocation exported after a pass', async () => {
    const run = await published('true');
    expect(run.path.trim()).toBe(path.join(run.prefix, 'bin'));
    expect(run.env).toContain('pythonLocation');
    expect(run.output).toContain(path.join(run.prefix, 'bin', 'python3'));
  });

  it('false: GITHUB_PATH and GITHUB_ENV stay empty; the python-path output still says where it is', async () => {
    const run = await published('false');
    expect(run.path).toBe('');
    expect(run.env).toBe('');
    expect(run.output).toContain(path.join(run.prefix, 'bin', 'python3'));
  });
});
