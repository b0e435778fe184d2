import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { DEBIAN_PYTHON, fetchedVersions, PYTHON_LIBS, pythonLibsAvailable } from '../fixtures/python_libs.js';
import { temporaryFolder } from '../fixtures/temporary.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const haveLibs = pythonLibsAvailable();

describe('dist/index.js with the library clients and python-context', () => {
  it.skipIf(!haveLibs)(
    'probe-mode default on /usr/bin/python3 with the Debian libraries on PYTHONPATH: the report and the summary name each library client, its version and outcome',
    async () => {
      const run = await runAction(
        { 'python-path': DEBIAN_PYTHON, 'probe-mode': 'default' },
        { PYTHONPATH: PYTHON_LIBS },
      );
      expect(run.outputs['verdict']).toBe('pass');
      const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
      expect(report.deciders).toEqual(['default', 'urllib3', 'requests', 'httpx', 'aiohttp', 'botocore']);
      const versions = fetchedVersions(); // bookworm here: 1.26.12, 2.28.1, 0.23.3, 3.8.4, 1.29.27
      for (const client of ['urllib3', 'requests', 'httpx', 'aiohttp', 'botocore']) {
        const version = versions[client];
        expect(version, client).toMatch(/^\d+\.\d+/);
        expect(report.clientOutcomes).toContainEqual({ client, ran: true, decides: true, outcome: 'pass', version });
        expect(run.summary).toContain(`- ${client} ${version}: pass (decides)`);
        expect(run.stdout).toContain(`client ${client} ${version}: pass (decides)`);
      }
      // strict runs and is reported, but does not decide in probe-mode default (it completes TLS 1.0 here).
      expect(report.clientOutcomes).toContainEqual({
        client: 'strict',
        ran: true,
        decides: false,
        outcome: 'downgrade',
      });
    },
  );

  it('a library that does not import is named as not run, with its import error, in the report and the summary', async () => {
    const run = await runAction({ 'python-path': DEBIAN_PYTHON, 'probe-mode': 'default', libraries: 'aiohttp' });
    expect(run.outputs['verdict']).toBe('pass');
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.clientOutcomes).toContainEqual({
      client: 'aiohttp',
      ran: false,
      decides: false,
      skipped: "aiohttp is not importable: ModuleNotFoundError: No module named 'aiohttp'",
    });
    expect(run.summary).toContain(
      "- aiohttp: not run (aiohttp is not importable: ModuleNotFoundError: No module named 'aiohttp')",
    );
  });

  it('python-context: a weakened SSLContext from the workspace is a downgrade as client app; an unknown module is one error line', async () => {
    const workspace = temporaryFolder('tls-floor-ws-');
    writeFileSync(
      path.join(workspace, 'appnet.py'),
      'import ssl\n\ndef context():\n    ctx = ssl.create_default_context()\n    ctx.minimum_version = ssl.TLSVersion.TLSv1\n    ctx.set_ciphers("ALL:@SECLEVEL=0")\n    return ctx\n',
    );
    const inputs = { 'python-path': DEBIAN_PYTHON, 'probe-mode': 'default', libraries: 'none' };
    const weak = await runAction({ ...inputs, 'python-context': 'appnet:context' }, { GITHUB_WORKSPACE: workspace });
    expect(weak.outputs['verdict']).toBe('downgrade');
    expect(weak.summary).toContain('- app: downgrade (decides)');

    const missing = await runAction(
      { ...inputs, 'python-context': 'nothere:context' },
      { GITHUB_WORKSPACE: workspace },
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toMatch(
      /^::error::python-context: cannot import nothere \(ModuleNotFoundError: No module named 'nothere'\)\.$/m,
    );
    expect(missing.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(missing.outputs['verdict']).toBeUndefined();
  });
});
