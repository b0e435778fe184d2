import { type ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relocationProblems } from '../../src/runtime/relocate.js';
import { type ActionRun, ROOT, runAction } from '../fixtures/action.js';
import { expectVenvWithPip, pythonSays } from '../fixtures/build-checks.js';
import { childProcesses } from '../fixtures/processes.js';
import { requireTool } from '../fixtures/requirements.js';
import { fetchedVersion, type SourceServer, serveSources, sourceFile } from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';
import { OUTER_TMP_ENV } from '../fixtures/tmp-run.js';

// One real build (the newest pair the fetch script found: CPython 3.13.x + OpenSSL 3.5.x from
// .cache/sources (versions.json), served
// on 127.0.0.1) under a short tool-cache root, packed with create-archive; that root is then
// deleted, and every test installs the archive under other roots: by runtime-archive-url,
// and through a runtime index served on 127.0.0.1.
// TLS_FLOOR_PREBUILT_ARCHIVE=<archive.tar.zst> reuses an archive a previous run made.
// The relabelled-archive tests unpack the .tar.zst with GNU tar, which runs zstd.
requireTool('zstd');
const BUILD_MS = 25 * 60_000;
const PY = fetchedVersion('python', '3.13') ?? 'missing';
const SSL = fetchedVersion('openssl', '3.5') ?? 'missing';
const PY_LINE = PY.split('.').slice(0, 2).join('.');

let sources: SourceServer;
let archive: { path: string; sha256: string; bytes: number };
let inputs: Record<string, string>;
let builtRoot: string;
const clean = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SSL_CERT') && !k.startsWith('PYTHON')));
/** A tool-cache root shaped like a self-hosted runner's, longer than the build's. */
const newRoot = () => {
  const root = path.join(temporaryFolder('tls-floor-relocated-runner-with-a-longer-path-'), '_work', '_tool');
  mkdirSync(root, { recursive: true });
  return root;
};
const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : []);

beforeAll(async () => {
  for (const base of [`openssl-${SSL}`, `Python-${PY}`]) {
    if (!sourceFile(base)) throw new Error(`${base} is missing from .cache/sources: run scripts/fetch-test-sources.sh`);
  }
  sources = await serveSources();
  const ext = (file: string) => path.basename(file).slice(path.basename(file).indexOf('.tar'));
  inputs = {
    'python-version': PY,
    'openssl-version': SSL,
    'python-source-url': sources.template('Python', ext(sourceFile(`Python-${PY}`)!)),
    'openssl-source-url': sources.template('openssl', ext(sourceFile(`openssl-${SSL}`)!)),
  };
  const reuse = process.env['TLS_FLOOR_PREBUILT_ARCHIVE'];
  if (reuse) {
    const manifest = JSON.parse(readFileSync(`${reuse}.manifest.json`, 'utf8'));
    archive = { path: reuse, sha256: manifest.archive.sha256, bytes: manifest.archive.bytes };
    builtRoot = manifest.toolCacheRoot;
    return;
  }
  builtRoot = temporaryFolder('tfa-');
  const run = await runAction({ ...inputs, 'create-archive': 'true' }, { RUNNER_TOOL_CACHE: builtRoot });
  if (run.code !== 0) throw new Error(`the build failed:\n${run.stdout.slice(-3000)}`);
  // Kept after the run, outside its private TMPDIR, for TLS_FLOOR_PREBUILT_ARCHIVE.
  const keep = mkdtempSync(path.join(process.env[OUTER_TMP_ENV] ?? tmpdir(), 'tls-floor-relocatable-archive-'));
  archive = {
    path: path.join(keep, path.basename(run.outputs['archive-path']!)),
    sha256: run.outputs['archive-sha256']!,
    bytes: statSync(run.outputs['archive-path']!).size,
  };
  copyFileSync(run.outputs['archive-path']!, archive.path);
  copyFileSync(run.outputs['archive-manifest']!, `${archive.path}.manifest.json`);
  console.log(
    `relocatable archive, kept for TLS_FLOOR_PREBUILT_ARCHIVE: ${archive.path} (cold build ${(run.ms / 1000).toFixed(0)} s)`,
  );
}, BUILD_MS);

afterAll(async () => {
  await sources?.close();
});

describe.sequential('a runtime built under one tool-cache root, installed under another', () => {
  let python: string;
  let prefix: string;

  it(
    'installs from the archive, verifies and probes at the new root (the build root is gone)',
    async () => {
      rmSync(builtRoot, { recursive: true, force: true });
      expect(existsSync(builtRoot)).toBe(false);
      const moved = newRoot();
      expect(moved.length).toBeGreaterThan(builtRoot.length);
      const before = sources.requests.length;
      const run = await runAction(
        // The versions may be given with an archive (they must match it); source URLs may not.
        {
          'python-version': PY,
          'openssl-version': SSL,
          'runtime-archive-url': archive.path,
          'runtime-archive-sha256': archive.sha256,
        },
        { RUNNER_TOOL_CACHE: moved },
      );
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'python-version': PY,
        'openssl-version': SSL,
        'cache-hit': 'true',
        'runtime-source': 'archive',
      });
      expect(sources.requests.length).toBe(before);
      python = run.outputs['python-path']!;
      prefix = run.outputs['tool-path']!;
      expect(python.startsWith(`${moved}/`)).toBe(true);
      const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
      const verification = report.context.build.verification;
      expect(verification.defaultCaCount).toBeGreaterThan(0);
      const systemDir = /OPENSSLDIR: "([^"]+)"/.exec(
        execFileSync('openssl', ['version', '-d'], { encoding: 'utf8' }),
      )![1]!;
      expect(verification.verifyPaths.openssl_cafile).toBe(path.join(systemDir, 'cert.pem'));
      expect(verification.verifyPaths.openssl_capath).toBe(path.join(systemDir, 'certs'));
    },
    BUILD_MS,
  );

  it('knows its own prefix; sysconfig paths and build variables name the new root, none the old', () => {
    const seen = pythonSays(
      python,
      'import json, sys, sysconfig; print(json.dumps([sys.prefix, sysconfig.get_paths(), sysconfig.get_config_vars()]))',
    );
    expect(seen[0]).toBe(prefix);
    for (const value of Object.values(seen[1]) as string[])
      expect(value === prefix || value.startsWith(`${prefix}/`), value).toBe(true);
    expect(seen[2].LIBDIR).toBe(path.join(prefix, 'lib'));
    expect(seen[2].INCLUDEPY).toBe(path.join(prefix, 'include', `python${PY_LINE}`));
    const stale = Object.entries(seen[2]).filter(([, v]) => typeof v === 'string' && v.includes(builtRoot));
    expect(stale).toEqual([]);
    const root = path.dirname(path.dirname(path.dirname(prefix)));
    expect(String(seen[2].CONFIG_ARGS)).toContain(`--with-openssl=${root}/tls-floor-openssl/`);
  });

  it('bin/pip runs through its relative trampoline and the default verify paths are not empty', () => {
    const pip = path.join(prefix, 'bin', 'pip');
    expect(readFileSync(pip, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
    expect(
      execFileSync(pip, ['--version'], { encoding: 'utf8', env: { ...clean(), PIP_DISABLE_PIP_VERSION_CHECK: '1' } }),
    ).toContain(prefix);
    const count = execFileSync(
      python,
      ['-c', 'import ssl; print(ssl.create_default_context().cert_store_stats()["x509_ca"])'],
      { encoding: 'utf8', env: clean() },
    );
    expect(Number(count)).toBeGreaterThan(0);
  });

  it('the relocation check names a bin/pip3 that would not run pip from the prefix, without running pip', async () => {
    const pip = path.join(prefix, 'bin', 'pip3');
    const original = readFileSync(pip, 'utf8');
    expect(await relocationProblems(python, prefix, builtRoot)).toEqual([]);
    try {
      writeFileSync(pip, original.replace(/^#!\/bin\/sh\n/, `#!${builtRoot}/bin/python3\n`));
      expect(await relocationProblems(python, prefix, builtRoot)).toEqual([
        expect.stringMatching(/^bin\/pip3 does not start with the relocatable trampoline: /),
      ]);
    } finally {
      writeFileSync(pip, original);
    }
  });

  it('python -m venv makes a venv whose pip works and whose python speaks the hardened OpenSSL', () => {
    expectVenvWithPip(python, prefix, SSL);
  });

  it('pip installs a pure package with a console script that runs', () => {
    const dir = temporaryFolder('tls-floor-wheel-');
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
    expect(out).toContain(path.join(prefix, 'lib', `python${PY_LINE}`, 'site-packages'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a C extension builds against the installed runtime (python3-config, sysconfig), imports and runs', () => {
    const dir = temporaryFolder('tls-floor-extension-');
    const env = clean();
    writeFileSync(
      path.join(dir, 'floorext.c'),
      `#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *add(PyObject *self, PyObject *args) {
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}
static PyMethodDef methods[] = {{"add", add, METH_VARARGS, "a + b"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "floorext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_floorext(void) { return PyModule_Create(&module); }
`,
    );
    const config = path.join(prefix, 'bin', 'python3-config');
    const flags = (...args: string[]) =>
      execFileSync(config, args, { encoding: 'utf8', env }).trim().split(/\s+/).filter(Boolean);
    const includes = flags('--includes');
    expect(includes).toContain(`-I${path.join(prefix, 'include', `python${PY_LINE}`)}`);
    const vars = JSON.parse(
      execFileSync(
        python,
        [
          '-c',
          'import json, sysconfig; print(json.dumps([sysconfig.get_config_var(k) for k in ("CC", "EXT_SUFFIX", "LINKFORSHARED")]))',
        ],
        { encoding: 'utf8', env },
      ),
    ) as [string, string, string];
    const [cc, ...ccArgs] = vars[0].split(/\s+/);
    const output = path.join(dir, `floorext${vars[1]}`);
    execFileSync(
      cc!,
      [
        ...ccArgs,
        '-shared',
        '-fPIC',
        ...flags('--cflags'),
        path.join(dir, 'floorext.c'),
        '-o',
        output,
        ...flags('--ldflags'),
      ],
      { env, stdio: 'pipe' },
    );
    const out = execFileSync(
      python,
      ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import floorext; print(floorext.add(2, 40))', dir],
      {
        encoding: 'utf8',
        env,
      },
    );
    expect(out.trim()).toBe('42');
    // Embedding links the static libpython that python3-config --ldflags --embed names (lean.ts keeps
    // one copy), with LINKFORSHARED so that the extension modules (_ssl) find its symbols.
    writeFileSync(
      path.join(dir, 'embed.c'),
      '#include <Python.h>\nint main(void) { Py_Initialize(); PyRun_SimpleString("import ssl; print(ssl.OPENSSL_VERSION)"); return Py_FinalizeEx(); }\n',
    );
    const program = path.join(dir, 'embed');
    execFileSync(
      cc!,
      [
        ...ccArgs,
        ...flags('--cflags', '--embed'),
        path.join(dir, 'embed.c'),
        '-o',
        program,
        ...flags('--ldflags', '--embed'),
        ...vars[2].split(/\s+/).filter(Boolean),
      ],
      {
        env,
        stdio: 'pipe',
      },
    );
    const embedded = execFileSync(program, [], { encoding: 'utf8', env: { ...env, PYTHONHOME: prefix } });
    expect(embedded).toMatch(new RegExp(`^OpenSSL ${SSL.replaceAll('.', '\\.')} `));
    // pkg-config's python3-embed names lib/ (where lib/libpythonX.Y.a links to the config copy).
    const pc = execFileSync('pkg-config', ['--libs', 'python3-embed'], {
      encoding: 'utf8',
      env: { ...env, PKG_CONFIG_PATH: path.join(prefix, 'lib', 'pkgconfig') },
    });
    expect(pc).toContain(`-lpython${PY_LINE}`);
    expect(statSync(path.join(prefix, 'lib', `libpython${PY_LINE}.a`)).size).toBeGreaterThan(1024 * 1024);
    rmSync(dir, { recursive: true, force: true });
  });
});

/** An index entry as JSON, which the tests edit freely. */
// biome-ignore lint/suspicious/noExplicitAny: the index's JSON, changed field by field to make each miss
type IndexEntry = Record<string, any>;

/** A folder served on 127.0.0.1, as a release or an artifact store would. */
async function serveFolder(dir: string) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    requests.push(name);
    const file = path.join(dir, name);
    if (!name || !existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.sequential('resolving from a runtime index served on 127.0.0.1', () => {
  let folder: string;
  let files: Awaited<ReturnType<typeof serveFolder>>;
  let index: { runtimes: Array<IndexEntry> };

  /** Writes a variant of the index (and returns its URL). */
  const variant = (name: string, change: (entry: IndexEntry) => void) => {
    const copy = JSON.parse(JSON.stringify(index));
    change(copy.runtimes[0]);
    writeFileSync(path.join(folder, name), JSON.stringify(copy));
    return `${files.base}/${name}`;
  };

  /** A run that misses the index builds: stopped as soon as it asks for a source tarball. */
  const runUntilSourceDownload = async (
    extra: Record<string, string>,
    root: string,
  ): Promise<{ run: ActionRun; downloaded: string[] }> => {
    const before = sources.requests.length;
    let timer: NodeJS.Timeout | undefined;
    const run = await runAction({ ...inputs, ...extra }, { RUNNER_TOOL_CACHE: root }, (child: ChildProcess) => {
      timer = setInterval(() => {
        if (sources.requests.length > before) child.kill('SIGTERM');
      }, 50);
    });
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 500));
    return { run, downloaded: sources.requests.slice(before) };
  };

  beforeAll(async () => {
    folder = temporaryFolder('tls-floor-index-');
    copyFileSync(archive.path, path.join(folder, path.basename(archive.path)));
    copyFileSync(`${archive.path}.manifest.json`, path.join(folder, `${path.basename(archive.path)}.manifest.json`));
    files = await serveFolder(folder);
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'runtime-index.mjs'), folder, files.base], {
      stdio: 'pipe',
    });
    index = JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8'));
  });

  afterAll(async () => {
    await files?.close();
  });

  it('npm run runtime-index lists the archive with its checksum, size, versions, floor, identity and platform', () => {
    expect(index.runtimes).toHaveLength(1);
    const [entry] = index.runtimes as [IndexEntry];
    expect(entry).toMatchObject({
      url: `${files.base}/${path.basename(archive.path)}`,
      sha256: archive.sha256,
      bytes: archive.bytes,
      python: PY,
      openssl: SSL,
      floor: '1.2',
      buildFormat: 3,
      compression: 'zstd',
      platform: { os: 'linux', arch: process.arch },
    });
    expect(entry['identity'].python.python).toBe(PY);
    expect(entry['identity'].openssl.options).toContain('no-tls1_1');
  });

  it(
    'an exact match installs under an empty tool cache: runtime-source prebuilt, pass, nothing built',
    async () => {
      const root = newRoot();
      const before = sources.requests.length;
      const run = await runAction(
        { ...inputs, 'runtime-index': `${files.base}/index.json` },
        { RUNNER_TOOL_CACHE: root },
      );
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'cache-hit': 'true',
        'runtime-source': 'prebuilt',
        'python-version': PY,
        'openssl-version': SSL,
      });
      expect(sources.requests.length).toBe(before);
      expect(run.stdout).not.toMatch(/::group::Build /);
      expect(run.outputs['python-path']!.startsWith(`${root}/`)).toBe(true);
      console.log(`first run from the index: ${(run.ms / 1000).toFixed(1)} s`);
      // The next run on this runner finds it in the tool cache and does not read the index.
      const served = files.requests.length;
      const again = await runAction(
        { ...inputs, 'runtime-index': `${files.base}/index.json` },
        { RUNNER_TOOL_CACHE: root },
      );
      expect(again.outputs).toMatchObject({ verdict: 'pass', 'cache-hit': 'true', 'runtime-source': 'tool-cache' });
      expect(files.requests.length).toBe(served);
    },
    BUILD_MS,
  );

  it(
    'an index given as a path, with a URL relative to it, installs too (into a tool cache not yet made)',
    async () => {
      const relative = variant('relative.json', (e) => (e['url'] = path.basename(archive.path)));
      const root = path.join(newRoot(), 'not-yet');
      const run = await runAction(
        { ...inputs, 'runtime-index': path.join(folder, path.basename(relative)) },
        { RUNNER_TOOL_CACHE: root },
      );
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({ verdict: 'pass', 'cache-hit': 'true', 'runtime-source': 'prebuilt' });
    },
    BUILD_MS,
  );

  for (const [what, change, extra, reason] of [
    [
      'version',
      (e: IndexEntry) => {
        e['python'] = '3.11.3';
        e['identity'].python.python = '3.11.3';
      },
      {},
      /nearest differs in CPython 3\.11\.3/,
    ],
    ['floor', () => undefined, { 'min-tls-version': '1.3' }, /TLS 1\.3 on linux .* nearest differs in TLS 1\.2/],
    [
      'platform',
      (e: IndexEntry) => {
        e['platform'].osRelease = 'debian-99';
        e['identity'].python.osRelease = 'debian-99';
        e['identity'].openssl.osRelease = 'debian-99';
      },
      {},
      /nearest differs in platform linux debian-99/,
    ],
  ] as const) {
    it(
      `a ${what} miss says why in one line and falls back to a source build`,
      async () => {
        const url = variant(`${what}.json`, change);
        const root = newRoot();
        const { run, downloaded } = await runUntilSourceDownload({ ...extra, 'runtime-index': url }, root);
        const miss = run.stdout.split('\n').filter((l) => l.startsWith('no prebuilt runtime for '));
        expect(miss, run.stdout.slice(-3000)).toHaveLength(1);
        expect(miss[0]).toMatch(reason);
        expect(miss[0]).toMatch(/; building from source$/);
        expect(downloaded.length).toBeGreaterThan(0);
        expect(run.stdout).not.toMatch(/Prebuilt runtime in the index/);
      },
      BUILD_MS,
    );
  }

  it(
    'a tampered archive is refused with one line and nothing is installed',
    async () => {
      const bytes = readFileSync(archive.path);
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      writeFileSync(path.join(folder, 'tampered.tar.gz'), bytes);
      const url = variant('tampered.json', (e) => (e['url'] = `${files.base}/tampered.tar.gz`));
      const root = newRoot();
      const before = sources.requests.length;
      const run = await runAction({ ...inputs, 'runtime-index': url }, { RUNNER_TOOL_CACHE: root });
      expect(run.code).not.toBe(0);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        new RegExp(
          `runtime-index: checksum mismatch for .*tampered\\.tar\\.gz: expected ${archive.sha256}, got [0-9a-f]{64}\\. Nothing was extracted or cached\\.`,
        ),
      );
      expect(listing(root)).toEqual([]);
      expect(sources.requests.length).toBe(before); // an integrity failure never builds instead
    },
    BUILD_MS,
  );

  it(
    'an entry that names another compression than the archive has is refused with one line, nothing installed',
    async () => {
      const url = variant('compression.json', (e) => (e['compression'] = 'gzip'));
      const root = newRoot();
      const run = await runAction({ ...inputs, 'runtime-index': url }, { RUNNER_TOOL_CACHE: root });
      expect(run.code).not.toBe(0);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toEqual([
        expect.stringMatching(
          /^::error::runtime-index: the archive at .* is refused: the index says it is gzip-compressed, it is zstd\.$/,
        ),
      ]);
      expect(listing(root)).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    'a wrong size is refused with one line and nothing is installed',
    async () => {
      const url = variant('size.json', (e) => (e['bytes'] = archive.bytes + 1));
      const root = newRoot();
      const before = sources.requests.length;
      const run = await runAction({ ...inputs, 'runtime-index': url }, { RUNNER_TOOL_CACHE: root });
      expect(run.code).not.toBe(0);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toEqual([
        `::error::runtime-index: size mismatch for ${files.base}/${path.basename(archive.path)}: the index says ${archive.bytes + 1} bytes, got ${archive.bytes}. Nothing was extracted or cached.`,
      ]);
      expect(listing(root)).toEqual([]);
      expect(sources.requests.length).toBe(before);
    },
    BUILD_MS,
  );

  /** A stand-in for the gh CLI (the attestation service cannot exist here): logs its arguments. */
  const fakeGh = (exit: number, message: string) => {
    const dir = temporaryFolder('tls-floor-fake-gh-');
    writeFileSync(
      path.join(dir, 'gh'),
      `#!/bin/sh\necho "$@" >> "${dir}/calls"\necho "${message}" >&2\nexit ${exit}\n`,
      { mode: 0o755 },
    );
    return {
      env: { PATH: `${dir}:${process.env['PATH']}` },
      calls: () => (existsSync(path.join(dir, 'calls')) ? readFileSync(path.join(dir, 'calls'), 'utf8') : ''),
    };
  };

  it(
    'verify-provenance: an attestation that does not verify is refused before unpacking',
    async () => {
      const gh = fakeGh(1, 'X Verification failed: no attestations found');
      const root = newRoot();
      const run = await runAction(
        { ...inputs, 'runtime-index': `${files.base}/index.json`, 'verify-provenance': 'acme/tls-floor' },
        { RUNNER_TOOL_CACHE: root, ...gh.env },
      );
      expect(run.code).not.toBe(0);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toEqual([
        `::error::verify-provenance: the build provenance of ${files.base}/${path.basename(archive.path)} does not verify for acme/tls-floor: X Verification failed: no attestations found. Nothing was extracted or cached.`,
      ]);
      expect(gh.calls()).toMatch(
        /^attestation verify \S+runtime\.tar\.archive --repo acme\/tls-floor --signer-workflow acme\/tls-floor\/\.github\/workflows\/publish-runtimes\.yml\n$/,
      );
      expect(listing(root)).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    'verify-provenance: an attestation that verifies lets the prebuilt runtime in',
    async () => {
      const gh = fakeGh(0, 'Verification succeeded!');
      const run = await runAction(
        { ...inputs, 'runtime-index': `${files.base}/index.json`, 'verify-provenance': 'acme/tls-floor' },
        { RUNNER_TOOL_CACHE: newRoot(), ...gh.env },
      );
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({ verdict: 'pass', 'cache-hit': 'true', 'runtime-source': 'prebuilt' });
      expect(gh.calls()).toContain('--repo acme/tls-floor');
    },
    BUILD_MS,
  );

  it(
    'an unreachable index is a warning and a build, not a failure',
    async () => {
      const { run, downloaded } = await runUntilSourceDownload(
        { 'runtime-index': 'http://127.0.0.1:9/index.json' },
        newRoot(),
      );
      expect(run.stdout).toMatch(
        /::warning::runtime-index: cannot fetch http:\/\/127\.0\.0\.1:9\/index\.json: .*; building from source\./,
      );
      expect(run.stdout).not.toMatch(/::error::runtime-index/);
      expect(downloaded.length).toBeGreaterThan(0);
    },
    BUILD_MS,
  );

  it('leaves no child process behind', () => {
    expect(childProcesses()).toEqual([]);
  });
});

describe.sequential('an archive that lies about its CPython version', () => {
  // The real runtime, relabelled one patch release down: its manifest, its folder names and the
  // index entry all say the lower version, consistently; only the interpreter tells the truth.
  const [major, minor, patch] = PY.split('.').map(Number) as [number, number, number];
  const LABEL = `${major}.${minor}.${patch - 1}`;
  let forged: { file: string; sha256: string; bytes: number };
  let labelled: { python: { entry: { identity: unknown } }; openssl: { entry: { identity: unknown } } };
  let folder: string;

  beforeAll(async () => {
    const { readInputs } = await import('../../src/inputs/inputs.js');
    const { planFromInputs } = await import('../../src/runtime/obtain.js');
    const work = temporaryFolder('tls-floor-relabelled-');
    const tree = path.join(work, 'tree');
    mkdirSync(tree);
    execFileSync('tar', ['-xf', archive.path, '-C', tree]);
    const manifest = JSON.parse(readFileSync(path.join(tree, 'tls-floor-runtime.json'), 'utf8'));
    const given: Record<string, string> = { 'python-version': LABEL, 'openssl-version': SSL };
    const { jobs: _jobs, ...plan } = await planFromInputs((await readInputs((n) => given[n] ?? '')).build, '1.2');
    labelled = plan;
    const entryPath = (e: { tool: string; version: string; variant: string }) => `${e.tool}/${e.version}/${e.variant}`;
    const [realPython, fakePython] = [entryPath(manifest.plan.python.entry), entryPath(plan.python.entry)];
    mkdirSync(path.dirname(path.join(tree, fakePython)), { recursive: true });
    execFileSync('mv', [path.join(tree, realPython), path.join(tree, fakePython)]);
    const members = [entryPath(plan.openssl.entry), fakePython];
    writeFileSync(path.join(tree, 'tls-floor-runtime.json'), JSON.stringify({ ...manifest, plan, members }));
    folder = path.join(work, 'served');
    mkdirSync(folder);
    const file = path.join(folder, 'relabelled.tar.gz');
    execFileSync('tar', ['-czf', file, '-C', tree, 'tls-floor-runtime.json', ...members]);
    forged = {
      file,
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      bytes: statSync(file).size,
    };
    rmSync(tree, { recursive: true, force: true });
  }, BUILD_MS);

  /** Nothing is filed under the false version: no entry folder, no completion marker. */
  const filedUnderLabel = (root: string) =>
    listing(path.join(root, 'tls-floor-python', LABEL)).filter((f) => f !== '' && !f.includes('/'));

  it(
    'by runtime-archive-url: refused after install by the interpreter it holds; nothing is filed as the false version',
    async () => {
      const root = newRoot();
      const run = await runAction(
        { 'runtime-archive-url': forged.file, 'runtime-archive-sha256': forged.sha256 },
        { RUNNER_TOOL_CACHE: root },
      );
      expect(run.code, run.stdout.slice(-3000)).not.toBe(0);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        new RegExp(
          `failed verification: .*the interpreter is CPython ${PY.replaceAll('.', '\\.')}, not ${LABEL.replaceAll('.', '\\.')}`,
        ),
      );
      expect(filedUnderLabel(root)).toEqual([]);
      // The next run does not find it either.
      const again = await runAction(
        { 'runtime-archive-url': forged.file, 'runtime-archive-sha256': forged.sha256 },
        { RUNNER_TOOL_CACHE: root },
      );
      expect(again.stdout).not.toMatch(/Found CPython/);
      expect(again.code).not.toBe(0);
    },
    BUILD_MS,
  );

  it(
    'by a runtime index whose entry names the false version: refused the same way',
    async () => {
      const files = await serveFolder(folder);
      try {
        const entry = {
          url: `${files.base}/relabelled.tar.gz`,
          sha256: forged.sha256,
          bytes: forged.bytes,
          python: LABEL,
          openssl: SSL,
          floor: '1.2',
          buildFormat: 2,
          identity: { python: labelled.python.entry.identity, openssl: labelled.openssl.entry.identity },
          platform: { os: 'linux', osRelease: detectedRelease(), arch: process.arch },
        };
        writeFileSync(path.join(folder, 'index.json'), JSON.stringify({ format: 1, runtimes: [entry] }));
        const root = newRoot();
        const run = await runAction(
          { 'python-version': LABEL, 'openssl-version': SSL, 'runtime-index': `${files.base}/index.json` },
          { RUNNER_TOOL_CACHE: root },
        );
        expect(run.stdout).toMatch(/Prebuilt runtime in the index/);
        expect(run.code, run.stdout.slice(-3000)).not.toBe(0);
        expect(run.stdout).toMatch(
          new RegExp(
            `^::error::.*the interpreter is CPython ${PY.replaceAll('.', '\\.')}, not ${LABEL.replaceAll('.', '\\.')}`,
            'm',
          ),
        );
        expect(filedUnderLabel(root)).toEqual([]);
      } finally {
        await files.close();
      }
    },
    BUILD_MS,
  );
});

/** This runner's OS release as the plan names it (the identity holds it too). */
function detectedRelease(): string {
  return (
    JSON.parse(readFileSync(`${archive.path}.manifest.json`, 'utf8')) as { plan: { platform: { osRelease: string } } }
  ).plan.platform.osRelease;
}
