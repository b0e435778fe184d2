import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILD_INPUTS } from '../../src/inputs/inputs.js';
import { ACTION_NODE, ROOT } from '../fixtures/action.js';
import { optional } from '../fixtures/requirements.js';
import { startSServer } from '../fixtures/s_server.js';

// scripts/run-local.mjs (npm run local) as a user runs it: it runs dist/index.js as the runner
// does, so it must pass only inputs a workflow could have given.
function local(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'scripts', 'run-local.mjs'), ...args],
      {
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_'))),
        encoding: 'utf8',
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('npm run local', () => {
  it('--client node --policy pq-hybrid runs the node client, with no python-path nobody gave', async () => {
    const run = await local(['--client', 'node', '--client-path', ACTION_NODE, '--policy', 'pq-hybrid']);
    expect(run.out).toContain(`::group::Probe node ${ACTION_NODE} against a TLS 1.2 floor`);
    expect(run.out).not.toContain('python-path');
    expect(run.out).toMatch(/^verdict: (pass|downgrade)$/m);
    expect(run.out).toMatch(/^--- exit code: [01]$/m);
  });

  it('--help lists every input action.yml declares, with its default and its whole description', async () => {
    const run = await local(['--help']);
    expect(run.code).toBe(0);
    const inputs = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).inputs;
    for (const name of Object.keys(inputs)) expect(run.out).toMatch(new RegExp(`^ {2}--${name}\\b`, 'm'));
    expect(run.out).toContain('  --min-tls-version (default: "1.2")');
    // Not cut at the first "e.g." or sentence: every word of every description, in order.
    const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
    for (const [name, spec] of Object.entries(inputs as Record<string, { description: string }>))
      expect(flat(run.out), name).toContain(flat(spec.description));
  });

  it('--python-version 3.13 plans a build: no python-path is added, nothing is refused', async () => {
    const run = await local(['--python-version', '3.13', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('npm run local: building or finding a hardened runtime (--python-version)');
    expect(run.out).not.toMatch(/PYTHON-PATH|ignored with python-path/);
    expect(run.out).toContain('INPUT_PYTHON-VERSION=3.13');
  });

  it('every input of a build implies one; without any, python3 is probed and the run says so', async () => {
    const plans = await Promise.all(BUILD_INPUTS.map((name) => local([`--${name}`, 'x', '--dry-run'])));
    for (const [i, name] of BUILD_INPUTS.entries()) {
      expect(plans[i]!.out, name).toContain(`building or finding a hardened runtime (--${name})`);
      expect(plans[i]!.out, name).not.toContain('PYTHON-PATH');
    }
    const plain = await local(['--probe-mode', 'strict', '--dry-run']);
    expect(plain.out).toContain("npm run local: probing the machine's python3 (as --python-path python3;");
    expect(plain.out).toContain('INPUT_PYTHON-PATH=python3');
  });

  it("README's first command: a downgrade on a stock python3, exit 1, as the README says under it", async () => {
    const run = await local(['--probe-mode', 'strict']);
    expect(run.out).toMatch(/^tls-floor verdict: DOWNGRADE/m);
    expect(run.out).toMatch(/^--- exit code: 1$/m);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(
      'npm ci && npm run local -- --probe-mode strict     # probes python3 on PATH: expect DOWNGRADE, exit 1',
    );
  });

  // README's pass command: probe-mode default on a CPython 3.10+ built from python.org's sources
  // (pyenv here); the truth apart from the action: its default context's minimum is TLS 1.2.
  const pyenvRoot = process.env['PYENV_ROOT'] ?? `${process.env['HOME']}/.pyenv`;
  const modern = existsSync(`${pyenvRoot}/versions`)
    ? readdirSync(`${pyenvRoot}/versions`)
        .filter((v) => /^3\.1\d\.\d+$/.test(v))
        .map((v) => `${pyenvRoot}/versions/${v}/bin/python3`)
        .find(
          (p) =>
            execFileSync(p, ['-c', 'import ssl; print(ssl.create_default_context().minimum_version.name)'], {
              encoding: 'utf8',
            }).trim() === 'TLSv1_2',
        )
    : undefined;
  it.skipIf(!optional('a python.org-built CPython 3.10+', `none under ${pyenvRoot}/versions`, modern !== undefined))(
    "README's pass command: --probe-mode default on a python.org-built CPython 3.10+ passes, exit 0",
    async () => {
      const run = await local(['--probe-mode', 'default', '--python-path', modern!]);
      expect(run.out).toMatch(/^tls-floor verdict: PASS/m);
      expect(run.out).toMatch(/^--- exit code: 0$/m);
    },
  );

  it('warns about an input action.yml does not declare, as the runner does', async () => {
    const run = await local(['--client', 'node', '--client-path', ACTION_NODE, '--min-tls', '1.3']);
    expect(run.out).toMatch(
      /^##\[warning\]Unexpected input\(s\) 'min-tls', valid inputs are \['python-path', 'client', /m,
    );
  });

  it("README's Debian sentence: /usr/bin/python3's default context completes TLS 1.0 with static RSA (openssl s_server)", async () => {
    // The truth from outside the action: OpenSSL's own server, TLS 1.0 only, RSA key exchange only.
    const server = await startSServer(['-tls1', '-cipher', 'kRSA:@SECLEVEL=0'], 'rsa');
    try {
      const said = execFileSync(
        '/usr/bin/python3',
        [
          '-c',
          [
            'import socket, ssl, sys',
            `ctx = ssl.create_default_context(cafile=${JSON.stringify(server.cert)})`,
            `s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${server.port}), timeout=5), server_hostname="localhost")`,
            'print(s.version(), s.cipher()[0])',
          ].join('\n'),
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
      expect(said.trim()).toMatch(/^TLSv1 AES\d+-(GCM-)?SHA\d*$/);
    } finally {
      await server.stop();
    }
  });
});
