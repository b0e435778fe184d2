import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_NODE, ROOT, runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import {
  awsCliAvailable,
  awscrtAvailable,
  DEBIAN_AWS_CLI,
  DEBIAN_PYTHON,
  fetchedVersions,
  PYTHON_LIBS,
  pythonLibsAvailable,
} from '../fixtures/python_libs.js';
import { startSServer } from '../fixtures/s_server.js';
import { temporaryFolder } from '../fixtures/temporary.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const haveLibs = pythonLibsAvailable();
const haveAwscrt = awscrtAvailable();
const haveCli = awsCliAvailable();

/**
 * The version /usr/bin/python3's default client context completes with OpenSSL's own s_server
 * offering TLS 1.2 only (the truth the probe's verdict must agree with).
 */
async function defaultContextWithSServerTls12(): Promise<string> {
  const server = await startSServer(['-tls1_2']);
  try {
    return execFileSync(
      DEBIAN_PYTHON,
      [
        '-E',
        '-s',
        '-c',
        [
          'import socket, ssl, sys',
          `ctx = ssl.create_default_context(cafile=${JSON.stringify(server.cert)})`,
          `s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${server.port}), timeout=5), server_hostname="localhost")`,
          'print(s.version())',
        ].join('\n'),
      ],
      { encoding: 'utf8' },
    ).trim();
  } finally {
    await server.stop();
  }
}

describe('dist/index.js with the library clients and python-context', () => {
  it.skipIf(!haveLibs || !haveAwscrt)(
    'probe-mode default on /usr/bin/python3 with the Debian libraries on PYTHONPATH: the report and the summary name each library client, its version and outcome; awscrt is a downgrade naming the TLS 1.0 handshake',
    async () => {
      const run = await runAction(
        { 'python-path': DEBIAN_PYTHON, 'probe-mode': 'default' },
        { PYTHONPATH: PYTHON_LIBS },
      );
      // Debian's default context has no minimum version: it completes static RSA at TLS 1.0, as
      // against openssl s_server -tls1 -cipher kRSA@SECLEVEL=0 (issue 27).
      expect(run.outputs['verdict']).toBe('downgrade');
      const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
      const ssl = ['urllib3', 'requests', 'httpx', 'aiohttp', 'botocore'];
      expect(report.deciders).toEqual(['default', ...ssl, 'awscrt']);
      const versions = fetchedVersions(); // bookworm here: 1.26.12, 2.28.1, 0.23.3, 3.8.4, 1.29.27
      for (const client of ssl) {
        const version = versions[client];
        expect(version, client).toMatch(/^\d+\.\d+/);
        // A library context with no minimum of its own completes TLS 1.0; a TLS 1.2 minimum refuses it.
        const settings = report.clients.find((c: { name: string }) => c.name === client)?.settings;
        const outcome = settings?.minimumVersion === 'MINIMUM_SUPPORTED' ? 'downgrade' : 'pass';
        expect(report.clientOutcomes).toContainEqual({ client, ran: true, decides: true, outcome, version });
        expect(run.summary).toContain(`- ${client} ${version}: ${outcome} (decides)`);
        expect(run.stdout).toContain(`client ${client} ${version}: ${outcome} (decides)`);
      }
      // awscrt's own TLS stack (s2n) completes TLS 1.0 with its default options, as openssl
      // s_server shows (test/probe/awscrt.test.ts): the runtime's OpenSSL does not constrain it.
      const awscrt = execFileSync(DEBIAN_PYTHON, ['-c', 'import awscrt; print(awscrt.__version__)'], {
        env: { ...process.env, PYTHONPATH: PYTHON_LIBS },
        encoding: 'utf8',
      }).trim();
      expect(report.clientOutcomes).toContainEqual({
        client: 'awscrt',
        ran: true,
        decides: true,
        outcome: 'downgrade',
        version: awscrt,
      });
      expect(run.summary).toContain(`- awscrt ${awscrt}: downgrade (decides)`);
      expect(run.outputs['verdict']).toBe('downgrade');
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          verdict: 'downgrade',
          server: 'TLSv1',
          client: 'awscrt',
          message: expect.stringMatching(/TLSv1\b/),
        }),
      );
      // strict runs and is reported, but does not decide in probe-mode default (it completes TLS 1.0 here).
      expect(report.clientOutcomes).toContainEqual({
        client: 'strict',
        ran: true,
        decides: false,
        outcome: 'downgrade',
      });
    },
  );

  it.skipIf(!haveAwscrt)(
    'python-context returning awscrt TlsContextOptions with min_tls_ver TLSv1_2: client app passes',
    async () => {
      const workspace = temporaryFolder('tls-floor-ws-');
      writeFileSync(
        path.join(workspace, 'crtapp.py'),
        'from awscrt import io\n\ndef options():\n    o = io.TlsContextOptions()\n    o.min_tls_ver = io.TlsVersion.TLSv1_2\n    return o\n',
      );
      const run = await runAction(
        {
          'python-path': DEBIAN_PYTHON,
          'probe-mode': 'default',
          libraries: 'none',
          'python-context': 'crtapp:options',
        },
        { GITHUB_WORKSPACE: workspace, PYTHONPATH: PYTHON_LIBS },
      );
      // The default client of Debian's python3 completes static RSA at TLS 1.0 (issue 27): the
      // run is a downgrade; the application's awscrt options, pinned to TLS 1.2, hold.
      expect(run.outputs['verdict']).toBe('downgrade');
      expect(run.summary).toContain('- app: pass (decides)');
    },
  );

  it('a library that does not import is named as not run, with its import error, in the report and the summary', async () => {
    const run = await runAction({ 'python-path': DEBIAN_PYTHON, 'probe-mode': 'default', libraries: 'aiohttp' });
    // The default client's verdict alone (Debian's context completes static RSA at TLS 1.0).
    expect(run.outputs['verdict']).toBe('downgrade');
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

  // Truth (test/probe/aws-cli.integration.test.ts): with openssl s_server -tls1 -cipher kRSA the CLI completes TLS 1.0.
  it.skipIf(!haveCli)(
    "client aws-cli: Debian's AWS CLI runs both phases; static RSA at TLS 1.0 is a downgrade",
    async () => {
      const run = await runAction({ client: 'aws-cli', 'client-path': DEBIAN_AWS_CLI }, { PYTHONPATH: PYTHON_LIBS });
      expect(run.outputs['verdict']).toBe('downgrade');
      const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
      expect(report.deciders).toEqual(['cli']);
      expect(run.summary).toContain('- cli: downgrade (decides)');
    },
  );

  it('client node on Node.js 24 with libraries https, fetch, aws-sdk: all three run and decide', async () => {
    const run = await runAction(
      { client: 'node', 'client-path': ACTION_NODE, libraries: 'https, fetch, aws-sdk', 'probe-mode': 'default' },
      { GITHUB_WORKSPACE: ROOT },
    );
    expect(run.outputs['verdict']).toBe('pass');
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.deciders).toEqual(['default', 'https', 'fetch', 'aws-sdk']);
    for (const client of ['https', 'fetch', 'aws-sdk'])
      expect(report.clientOutcomes).toContainEqual(
        expect.objectContaining({ client, ran: true, decides: true, outcome: 'pass' }),
      );
  });

  // The user's module runs in a process of its own: what it does at import reaches only client app.
  it("python-context whose module patches ssl.SSLContext.wrap_socket at import cannot turn /usr/bin/python3's downgrade into a pass", async () => {
    const workspace = temporaryFolder('tls-floor-ws-');
    writeFileSync(
      path.join(workspace, 'patcher.py'),
      [
        'import ssl',
        'original = ssl.SSLContext.wrap_socket',
        'def wrap_socket(self, *args, **kwargs):',
        '    self.minimum_version = ssl.TLSVersion.TLSv1_3',
        '    return original(self, *args, **kwargs)',
        'ssl.SSLContext.wrap_socket = wrap_socket',
        'def context():',
        '    ctx = ssl.create_default_context()',
        '    ctx.minimum_version = ssl.TLSVersion.TLSv1_3',
        '    return ctx',
        '',
      ].join('\n'),
    );
    // Truth from OpenSSL: /usr/bin/python3's default context completes TLS 1.2 with s_server.
    expect(await defaultContextWithSServerTls12()).toBe('TLSv1.2');
    const inputs = {
      'python-path': DEBIAN_PYTHON,
      'probe-mode': 'default',
      libraries: 'none',
      'min-tls-version': '1.3',
    };
    const plain = await runAction(inputs);
    expect(plain.outputs['verdict'], plain.stdout.slice(-2000)).toBe('downgrade');
    const patched = await runAction(
      { ...inputs, 'python-context': 'patcher:context' },
      { GITHUB_WORKSPACE: workspace },
    );
    expect(patched.outputs['verdict'], patched.stdout.slice(-2000)).toBe('downgrade');
    const report = JSON.parse(readFileSync(patched.outputs['report-path'] ?? '', 'utf8'));
    expect(report.clientOutcomes).toContainEqual(expect.objectContaining({ client: 'default', outcome: 'downgrade' }));
    expect(report.clientOutcomes).toContainEqual(expect.objectContaining({ client: 'app', outcome: 'pass' }));
  });

  it('a python-context that crashes the interpreter is said as such, naming python-context', async () => {
    const workspace = temporaryFolder('tls-floor-ws-');
    writeFileSync(path.join(workspace, 'crasher.py'), 'import ctypes\nctypes.string_at(0)\ndef context():\n    pass\n');
    const run = await runAction(
      { 'python-path': DEBIAN_PYTHON, libraries: 'none', 'python-context': 'crasher:context' },
      { GITHUB_WORKSPACE: workspace },
    );
    expect(run.code).not.toBe(0);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error::python-context: crasher:context: the interpreter running it ended without a report \(killed by SIGSEGV/,
      ),
    ]);
    expect(run.stdout).not.toContain('is not a usable Python');
  });
});
