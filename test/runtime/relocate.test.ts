import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relocatedScript } from '../../src/runtime/relocate.js';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { serveSources, sourceFile, type SourceServer } from '../fixtures/sources.js';

const BUILD_MS = 25 * 60_000;

describe('relocatedScript', () => {
  const bin = '/opt/tc/tls-floor-python/3.11.2/x64-abc/bin';
  it('turns an absolute interpreter line into a trampoline that runs the python beside the script', () => {
    const out = relocatedScript(`#!${bin}/python3.11\nimport sys\nprint(sys.executable)\n`, bin)!;
    expect(out.split('\n').slice(0, 3)).toEqual([
      '#!/bin/sh',
      `'''exec' "$(dirname -- "$(realpath -- "$0")")/python3.11" "$0" "$@"`,
      "' '''",
    ]);
    expect(out.endsWith('import sys\nprint(sys.executable)\n')).toBe(true);
  });

  it("rewrites pip's own long-path form and keeps interpreter arguments", () => {
    expect(relocatedScript(`#!/bin/sh\n'''exec' ${bin}/python3.11 "$0" "$@"\n' '''\nimport re\n`, bin)).toMatch(/^#!\/bin\/sh\n'''exec' "\$\(dirname[^\n]*\/python3\.11" "\$0" "\$@"\n' '''\nimport re\n$/);
    expect(relocatedScript(`#!${bin}/python3.11 -E\nx = 1\n`, bin)).toContain('/python3.11" -E "$0" "$@"');
  });

  it('leaves scripts of other interpreters alone', () => {
    expect(relocatedScript('#!/bin/sh\necho hi\n', bin)).toBeUndefined();
    expect(relocatedScript('#!/usr/bin/python3\nx = 1\n', bin)).toBeUndefined();
    expect(relocatedScript(`#!${bin}x/python3.11\n`, bin)).toBeUndefined();
  });

  it('the trampoline is valid sh and Python: it runs the python beside it, through a symlink too', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-floor-trampoline-'));
    const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    mkdirSync(path.join(dir, 'bin'));
    execFileSync('ln', ['-s', real, path.join(dir, 'bin', 'python3.x')]);
    const script = path.join(dir, 'bin', 'hello');
    writeFileSync(script, relocatedScript(`#!${bin}/python3.x\nimport sys\nprint('hello', sys.argv[1:])\n`, bin)!.replace(bin, ''), { mode: 0o755 });
    expect(execFileSync(script, ['a b', 'c'], { encoding: 'utf8' })).toBe("hello ['a b', 'c']\n");
    execFileSync('ln', ['-s', script, path.join(dir, 'elsewhere')]);
    expect(execFileSync(path.join(dir, 'elsewhere'), [], { encoding: 'utf8' })).toBe('hello []\n');
    rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * One real build under a short tool-cache root, packed with create-archive; that root is then
 * deleted and the archive installed under another, longer one (a self-hosted runner's
 * _work/_tool). TLS_FLOOR_PREBUILT_ARCHIVE=<archive.tar.gz> reuses an archive made before.
 */
let server: SourceServer;
let archive: { path: string; sha256: string };
let inputs: Record<string, string>;
let builtRoot: string;
const moved = path.join(mkdtempSync(path.join(tmpdir(), 'tls-floor-relocated-runner-with-a-longer-path-')), '_work', '_tool');
const clean = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SSL_CERT') && !k.startsWith('PYTHON')));

beforeAll(async () => {
  for (const base of ['openssl-3.0.22', 'Python-3.11.2']) {
    if (!sourceFile(base)) throw new Error(`${base} is missing from .cache/sources: run scripts/fetch-test-sources.sh`);
  }
  server = await serveSources();
  const ext = (file: string) => path.basename(file).slice(path.basename(file).indexOf('.tar'));
  inputs = {
    'python-version': '3.11.2',
    'openssl-version': '3.0.22',
    'python-source-url': server.template('Python', ext(sourceFile('Python-3.11.2')!)),
    'openssl-source-url': server.template('openssl', ext(sourceFile('openssl-3.0.22')!)),
  };
  const reuse = process.env['TLS_FLOOR_PREBUILT_ARCHIVE'];
  if (reuse) {
    const manifest = JSON.parse(readFileSync(`${reuse}.manifest.json`, 'utf8'));
    archive = { path: reuse, sha256: manifest.archive.sha256 };
    builtRoot = manifest.toolCacheRoot;
    return;
  }
  builtRoot = mkdtempSync('/tmp/tfa-');
  const run = await runAction({ ...inputs, 'create-archive': 'true' }, { RUNNER_TOOL_CACHE: builtRoot });
  if (run.code !== 0) throw new Error(`the build failed:\n${run.stdout.slice(-3000)}`);
  const keep = mkdtempSync(path.join(tmpdir(), 'tls-floor-relocatable-archive-'));
  archive = { path: path.join(keep, path.basename(run.outputs['archive-path']!)), sha256: run.outputs['archive-sha256']! };
  copyFileSync(run.outputs['archive-path']!, archive.path);
  copyFileSync(run.outputs['archive-manifest']!, `${archive.path}.manifest.json`);
  console.log(`relocatable archive: ${archive.path} (build ${(run.ms / 1000).toFixed(0)} s)`);
}, BUILD_MS);

afterAll(async () => {
  await server?.close();
});

describe.sequential('a runtime built under one tool-cache root, installed under another', () => {
  let python: string;
  let prefix: string;

  it('installs from the archive, verifies and probes at the new root (the build root is gone)', async () => {
    rmSync(builtRoot, { recursive: true, force: true });
    expect(existsSync(builtRoot)).toBe(false);
    mkdirSync(moved, { recursive: true });
    const before = server.requests.length;
    const run = await runAction({ ...inputs, 'runtime-archive-url': archive.path, 'runtime-archive-sha256': archive.sha256 }, { RUNNER_TOOL_CACHE: moved });
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'python-version': '3.11.2', 'openssl-version': '3.0.22' });
    expect(server.requests.length).toBe(before);
    python = run.outputs['python-path']!;
    prefix = run.outputs['tool-path']!;
    expect(python.startsWith(moved + '/')).toBe(true);
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
    const verification = report.context.build.verification;
    expect(verification.defaultCaCount).toBeGreaterThan(0);
    const systemDir = /OPENSSLDIR: "([^"]+)"/.exec(execFileSync('openssl', ['version', '-d'], { encoding: 'utf8' }))![1]!;
    expect(verification.verifyPaths.openssl_cafile).toBe(path.join(systemDir, 'cert.pem'));
    expect(verification.verifyPaths.openssl_capath).toBe(path.join(systemDir, 'certs'));
  }, BUILD_MS);

  it('knows its own prefix; sysconfig paths and build variables name the new root, none the old', () => {
    const seen = JSON.parse(
      execFileSync(python, ['-c', 'import json, sys, sysconfig; print(json.dumps([sys.prefix, sysconfig.get_paths(), sysconfig.get_config_vars()]))'], { encoding: 'utf8', env: clean() }),
    );
    expect(seen[0]).toBe(prefix);
    for (const value of Object.values(seen[1]) as string[]) expect(value.startsWith(prefix + '/')).toBe(true);
    expect(seen[2].LIBDIR).toBe(path.join(prefix, 'lib'));
    expect(seen[2].INCLUDEPY).toBe(path.join(prefix, 'include', 'python3.11'));
    const stale = Object.entries(seen[2]).filter(([, v]) => typeof v === 'string' && v.includes(builtRoot));
    expect(stale).toEqual([]);
    expect(String(seen[2].CONFIG_ARGS)).toContain(`--with-openssl=${moved}/tls-floor-openssl/`);
  });

  it('bin/pip runs through its relative trampoline and the default verify paths are not empty', () => {
    const pip = path.join(prefix, 'bin', 'pip');
    expect(readFileSync(pip, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
    expect(execFileSync(pip, ['--version'], { encoding: 'utf8', env: { ...clean(), PIP_DISABLE_PIP_VERSION_CHECK: '1' } })).toContain(prefix);
    const count = execFileSync(python, ['-c', 'import ssl; print(ssl.create_default_context().cert_store_stats()["x509_ca"])'], { encoding: 'utf8', env: clean() });
    expect(Number(count)).toBeGreaterThan(0);
  });

  it('python -m venv makes a venv whose pip works and whose python speaks the hardened OpenSSL', () => {
    const venv = path.join(mkdtempSync(path.join(tmpdir(), 'tls-floor-venv-')), 'venv');
    execFileSync(python, ['-m', 'venv', venv], { env: clean(), stdio: 'pipe' });
    const env = { ...clean(), PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    expect(execFileSync(path.join(venv, 'bin', 'pip'), ['--version'], { encoding: 'utf8', env })).toContain(venv);
    const facts = JSON.parse(execFileSync(path.join(venv, 'bin', 'python'), ['-c', 'import json, ssl, sys; print(json.dumps([sys.base_prefix, ssl.OPENSSL_VERSION, ssl.HAS_TLSv1_1]))'], { encoding: 'utf8', env }));
    expect(facts[0]).toBe(prefix);
    expect(facts[1]).toMatch(/^OpenSSL 3\.0\.22 /);
    expect(facts[2]).toBe(false);
    rmSync(path.dirname(venv), { recursive: true, force: true });
  });

  it('pip installs a pure package with a console script that runs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-floor-wheel-'));
    // A wheel made by hand (no index, no network): one module and one console script.
    const make = `
import base64, hashlib, sys, zipfile
files = {
    "hello_tls_floor.py": "def main():\\n    print('hello from', __file__)\\n",
    "hello_tls_floor-1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: hello-tls-floor\\nVersion: 1.0\\n",
    "hello_tls_floor-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: hand\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    "hello_tls_floor-1.0.dist-info/entry_points.txt": "[console_scripts]\\nhello-tls-floor = hello_tls_floor:main\\n",
}
record = []
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, text in files.items():
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append("hello_tls_floor-1.0.dist-info/RECORD,,")
    z.writestr("hello_tls_floor-1.0.dist-info/RECORD", "\\n".join(record) + "\\n")
`;
    const wheel = path.join(dir, 'hello_tls_floor-1.0-py3-none-any.whl');
    execFileSync(python, ['-c', make, wheel], { env: clean() });
    const env = { ...clean(), PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    execFileSync(path.join(prefix, 'bin', 'pip'), ['install', '--no-index', '--quiet', wheel], { env, stdio: 'pipe' });
    const out = execFileSync(path.join(prefix, 'bin', 'hello-tls-floor'), [], { encoding: 'utf8', env });
    expect(out).toContain(path.join(prefix, 'lib', 'python3.11', 'site-packages'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no child process behind', () => {
    expect(childProcesses()).toEqual([]);
  });
});
