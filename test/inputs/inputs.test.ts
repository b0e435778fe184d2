import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionDefaults, runnerInputEnv } from '../../scripts/runner-inputs.mjs';
import { resolveClient } from '../../src/action/client_choice.js';
import { INPUT_DEFAULTS, readInputs } from '../../src/inputs/inputs.js';
import { defaultVersion, describeResolved } from '../../src/runtime/model/versions.js';
import { ROOT } from '../fixtures/action.js';
import { captureLog } from '../fixtures/log.js';
import { temporaryFolder } from '../fixtures/temporary.js';

/** Inputs as the runner passes them: action.yml's defaults for what a workflow leaves out. */
function inputs(overrides: Record<string, string> = {}) {
  const given = { ...actionDefaults(), ...overrides };
  return readInputs((name) => given[name] ?? '');
}

describe('readInputs', () => {
  it('has the documented defaults', async () => {
    const i = await inputs();
    expect(i).toMatchObject({ floor: '1.2', probeMode: 'both', failOnDowngrade: true });
    expect(i.pythonPath).toBeUndefined();
    expect(i.build).toMatchObject({
      // The defaults come from the release table (test/runtime/model/versions.test.ts).
      python: { version: defaultVersion('python'), spec: '', given: false },
      openssl: { version: defaultVersion('openssl'), spec: '', given: false },
      allowUnverifiedSource: false,
      checkLatest: false,
      createArchive: false,
    });
    expect(i.build.cache).toBeUndefined();
    expect(i.build.jobs).toBeGreaterThan(0);
  });

  it.each([
    [{ 'min-tls-version': '1.0' }, /^min-tls-version: '1\.0' is not allowed; use 1\.2, 1\.3/],
    [{ 'probe-mode': 'STRICT' }, /^probe-mode: 'STRICT' is not allowed; use both, strict, default/],
    [
      { 'python-version': '3.11-latest' },
      /^python-version: '3\.11-latest' is not a version or a range; give e\.g\. 3\.13/,
    ],
    [
      { 'openssl-version': '2.0' },
      /^openssl-version: no OpenSSL release in the action's table matches '2\.0' \(nearest known: /,
    ],
    [{ 'openssl-sha256': 'abc' }, /^openssl-sha256: 'abc' is not a SHA-256 digest/],
    [
      { 'python-source-url': 'https://x/{name}.tgz' },
      /^python-source-url: unknown placeholder \{name\}; the only placeholder is \{version\}\./,
    ],
    [
      { 'python-source-url': 'ftp://x/{version}' },
      /^python-source-url: 'ftp:\/\/x\/\{version\}' is not an http\(s\) URL template/,
    ],
    [{ 'build-jobs': '0' }, /^build-jobs: '0' is not allowed; give a whole number from 1 to 1024/],
    [{ cache: 'sometimes' }, /^cache: 'sometimes' is not allowed; for the built runtime's cache give runtime-cache/],
    // setup-python's dependency cache: one line naming where it belongs and this action's own input.
    [
      { cache: 'pip' },
      /^cache: 'pip' is setup-python's pip download cache, which tls-floor does not do; give cache: pip to actions\/setup-python \(this action's runtime cache is runtime-cache\)\.$/,
    ],
    [{ cache: 'poetry' }, /^cache: 'poetry' is setup-python's poetry download cache/],
    [{ 'runtime-cache': 'sometimes' }, /^runtime-cache: 'sometimes' is not allowed; give true, false or auto\.$/],
    [
      { cache: 'true', 'runtime-cache': 'false' },
      /^cache: 'true' contradicts runtime-cache: 'false'; give runtime-cache only\.$/,
    ],
    [{ freethreaded: 'yes' }, /^freethreaded: 'yes' is not allowed; give true or false\.$/],
    [{ 'update-environment': 'no' }, /^update-environment: 'no' is not allowed; give true or false\.$/],
    [{ 'runtime-archive-url': 'https://x/r.tar.gz' }, /^runtime-archive-sha256: required with runtime-archive-url/],
    [{ 'runtime-archive-sha256': 'a'.repeat(64) }, /^runtime-archive-sha256: given without runtime-archive-url/],
    [
      { 'runtime-archive-url': 'r.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) },
      /^runtime-archive-url: 'r\.tar\.gz' is not allowed/,
    ],
  ])('%o is refused in one line naming the input', async (given, message) => {
    await expect(inputs(given)).rejects.toThrow(message);
  });

  it('keeps what was given', async () => {
    const i = await inputs({
      'python-path': ' /usr/bin/python3 ',
      'min-tls-version': '1.3',
      'fail-on-downgrade': 'False',
    });
    expect(i).toMatchObject({ pythonPath: '/usr/bin/python3', floor: '1.3', failOnDowngrade: false });
    const b = await inputs({ 'build-jobs': '3', cache: 'false', 'python-version': '3.11.2' });
    expect(b.build).toMatchObject({ jobs: 3, cache: false, python: { version: '3.11.2', given: true } });
  });

  it("takes setup-python's conventions: cache: true|false as runtime-cache (warned), freethreaded, update-environment, token", async () => {
    const alias = await captureLog(() => inputs({ cache: 'true' }));
    expect(alias.value?.build.cache).toBe(true);
    expect(alias.log).toContain(
      "::warning::cache: 'true' is deprecated for the runtime's cross-run cache; give runtime-cache: true.",
    );
    const named = await captureLog(() => inputs({ 'runtime-cache': 'false' }));
    expect(named.value?.build.cache).toBe(false);
    expect(named.log).not.toContain('deprecated');
    const suffix = await inputs({ 'python-version': '3.13' + 't' });
    const flag = await inputs({ 'python-version': '3.13', freethreaded: 'true' });
    expect(flag.build.python).toEqual(suffix.build.python);
    expect(flag.build.python.freethreaded).toBe(true);
    expect((await inputs({ 'python-version': '3.13t', freethreaded: 'true' })).build.python).toEqual(
      suffix.build.python,
    );
    await expect(inputs({ freethreaded: 'true' })).rejects.toThrow(/^freethreaded: true needs a python-version/);
    expect((await inputs()).updateEnvironment).toBe(true);
    expect((await inputs({ 'update-environment': 'false' })).updateEnvironment).toBe(false);
    const archive = { 'runtime-archive-url': 'https://x/r.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) };
    const token = await captureLog(() => inputs({ ...archive, 'verify-provenance': 'acme/tls-floor', token: 'ghs_x' }));
    expect(token.value?.build.provenance).toEqual({ repo: 'acme/tls-floor', token: 'ghs_x' });
    expect(token.log).toContain('::add-mask::ghs_x');
  });

  it('takes build-jobs auto as the number of CPUs', async () => {
    expect((await inputs({ 'build-jobs': 'auto' })).build.jobs).toBe(os.availableParallelism());
    expect((await inputs({ 'build-jobs': '' })).build.jobs).toBe(os.availableParallelism());
  });

  it("reads the same with action.yml's defaults injected as with nothing set", async () => {
    expect(await inputs()).toEqual(await readInputs(() => ''));
    const some = { 'python-path': 'python3', 'probe-mode': 'strict' };
    expect(await inputs(some)).toEqual(await readInputs((name) => some[name as keyof typeof some] ?? ''));
  });

  it("keeps the defaults in one place: INPUT_DEFAULTS is exactly action.yml's defaults", async () => {
    expect(INPUT_DEFAULTS).toEqual(actionDefaults());
    // No default for the versions: set by the user exactly when the runner passes a value.
    expect(actionDefaults()).not.toHaveProperty('python-version');
    expect(actionDefaults()).not.toHaveProperty('openssl-version');
  });

  it("says in the README's inputs table what each default is", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) {
      // token's default is an expression the runner evaluates: the README says what it means.
      const literal = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const shown = name === 'token' ? "the workflow's token" : `\`${literal}\``;
      expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` \\| ${shown}`, 'm'));
    }
  });

  it('marks the versions as given only when the user set them', async () => {
    const archive = { 'runtime-archive-url': 'https://x/r.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) };
    expect((await inputs(archive)).build).toMatchObject({
      python: { given: false },
      openssl: { given: false },
      archive: { url: 'https://x/r.tar.gz' },
    });
    const pinned = (await inputs({ ...archive, 'openssl-version': '3.0.22' })).build;
    expect(pinned).toMatchObject({
      python: { version: defaultVersion('python'), given: false },
      openssl: { version: '3.0.22', given: true },
    });
  });

  it('reads exactly the inputs action.yml declares', async () => {
    const read = new Set<string>();
    await readInputs((name) => {
      read.add(name);
      return '';
    });
    const yml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
    const block = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'));
    const declared = [...block.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1]);
    expect([...read].sort()).toEqual(declared.sort());
  });
});

describe("what the bundle reads: core.getInput on the runner's variables", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('finds every value under the name the runner gives it (INPUT_PYTHON-PATH: dashes kept)', async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
    const given = {
      'python-path': '/usr/bin/python3',
      'min-tls-version': '1.3',
      'probe-mode': 'default',
      'fail-on-downgrade': 'false',
    };
    Object.assign(process.env, runnerInputEnv(given));
    expect(process.env['INPUT_PYTHON-PATH']).toBe('/usr/bin/python3');
    expect(process.env['INPUT_RUNTIME-CACHE']).toBe('auto');
    expect(process.env['INPUT_CACHE']).toBeUndefined();
    expect(await readInputs()).toEqual(await inputs(given));
    expect(await readInputs()).toMatchObject({
      pythonPath: '/usr/bin/python3',
      floor: '1.3',
      probeMode: 'default',
      failOnDowngrade: false,
    });
  });
});

describe('an input that the others make meaningless is an error naming both', () => {
  const pythonPath = { 'python-path': '/usr/bin/python3' };
  const archive = { 'runtime-archive-url': 'https://x/r.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) };
  // Every input of a build, with a value that means something (a default does not).
  const build: Array<[string, string]> = [
    ['python-version', '3.11.2'],
    ['openssl-version', '3.0.22'],
    ['python-source-url', 'https://mirror.example/Python-{version}.tgz'],
    ['openssl-source-url', 'https://mirror.example/openssl-{version}.tar.gz'],
    ['python-sha256', 'b'.repeat(64)],
    ['openssl-sha256', 'c'.repeat(64)],
    ['allow-unverified-source', 'true'],
    ['build-jobs', '2'],
    ['cache', 'true'],
    ['cache', 'false'],
    ['runtime-cache', 'true'],
    ['freethreaded', 'true'],
    ['create-archive', 'true'],
    ['runtime-archive-url', 'https://x/r.tar.gz'],
    ['runtime-archive-sha256', 'a'.repeat(64)],
  ];

  it.each(build)('%s: %s with python-path', async (name, value) => {
    const message = `${name}: ignored with python-path (nothing is built when python-path is given); remove one of them.`;
    await expect(inputs({ ...pythonPath, [name]: value })).rejects.toThrow(message);
  });

  it.each(['node', 'curl', 'openssl'].flatMap((client) => build.map(([name, value]) => [client, name, value])))(
    'client: %s with %s: %s',
    async (client, name, value) => {
      const message = `${name}: ignored with client: ${client} (nothing is built for a client other than python); remove one of them.`;
      await expect(inputs({ client: client!, [name!]: value! })).rejects.toThrow(message);
    },
  );

  it('client: command with a build input', async () => {
    await expect(inputs({ client: 'command', 'client-command': 'true', 'python-version': '3.11.2' })).rejects.toThrow(
      'python-version: ignored with client: command (nothing is built for a client other than python); remove one of them.',
    );
  });

  it.each(
    build.filter(
      ([name]) =>
        /source-url|-sha256$|allow-unverified|build-jobs|^cache$|^runtime-cache$/.test(name) &&
        !name.startsWith('runtime-archive'),
    ),
  )('%s: %s with runtime-archive-url', async (name, value) => {
    const message = `${name}: ignored with runtime-archive-url (nothing is built when an archive is installed); remove one of them.`;
    await expect(inputs({ ...archive, [name]: value })).rejects.toThrow(message);
  });

  it('leaves what a default or automatic value says alone, and what an archive uses', async () => {
    const automatic = {
      'build-jobs': 'auto',
      'runtime-cache': 'auto',
      freethreaded: 'false',
      'update-environment': 'true',
      'create-archive': 'false',
      'allow-unverified-source': 'false',
    };
    expect((await inputs({ ...pythonPath, ...automatic })).pythonPath).toBe('/usr/bin/python3');
    expect((await inputs({ client: 'node', ...automatic, 'build-jobs': 'AUTO' })).client).toBe('node');
    const installed = await inputs({
      ...archive,
      ...automatic,
      'python-version': '3.11.2',
      'openssl-version': '3.0.22',
      'create-archive': 'true',
    });
    expect(installed.build).toMatchObject({
      python: { version: '3.11.2', given: true },
      createArchive: true,
      archive: { url: archive['runtime-archive-url'] },
    });
  });
});

describe('.python-version at the workspace root, as actions/setup-python reads it', () => {
  const saved = process.env['GITHUB_WORKSPACE'];
  afterEach(() => {
    if (saved === undefined) delete process.env['GITHUB_WORKSPACE'];
    else process.env['GITHUB_WORKSPACE'] = saved;
  });
  const workspace = (text: string) => {
    const dir = temporaryFolder('tls-floor-workspace-');
    writeFileSync(path.join(dir, '.python-version'), text);
    process.env['GITHUB_WORKSPACE'] = dir;
    return dir;
  };

  it('is the spec when neither python-version nor python-version-file is given, and the log says so', async () => {
    const dir = workspace('3.12\n');
    const { log, value } = await captureLog(() => inputs());
    expect(value!.build.python).toMatchObject({ spec: '3.12', file: '.python-version', given: true });
    expect(value!.build.python.version).toMatch(/^3\.12\.\d+$/);
    expect(log).toContain(`python-version: not given; reading .python-version at the workspace root (${dir}).`);
  });

  it('is not read when python-version is given, nothing is built, or an archive is installed', async () => {
    workspace('3.12\n');
    expect((await inputs({ 'python-version': '3.13' })).build.python.spec).toBe('3.13');
    expect((await inputs({ 'python-path': '/usr/bin/python3' })).build.python.spec).toBe('');
    expect((await inputs({ client: 'node' })).build.python.spec).toBe('');
    const archive = { 'runtime-archive-url': 'https://x/r.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) };
    expect((await inputs(archive)).build.python).toMatchObject({ spec: '', given: false });
  });
});

describe("free-threaded CPython, as actions/setup-python spells it ('3.13t')", () => {
  const saved = process.env['GITHUB_WORKSPACE'];
  afterEach(() => {
    if (saved === undefined) delete process.env['GITHUB_WORKSPACE'];
    else process.env['GITHUB_WORKSPACE'] = saved;
  });

  it('3.13t and 3.13.5t: the spec without the t resolves as any other, free-threaded', async () => {
    const line = (await inputs({ 'python-version': '3.13t' })).build.python;
    expect(line).toMatchObject({ spec: '3.13', freethreaded: true, given: true });
    expect(line.version).toBe((await inputs({ 'python-version': '3.13' })).build.python.version);
    expect((await inputs({ 'python-version': '3.14t' })).build.python).toMatchObject({ freethreaded: true });
    expect((await inputs({ 'python-version': '3.13.5t' })).build.python).toMatchObject({
      spec: '3.13.5',
      version: '3.13.5',
      freethreaded: true,
    });
    expect((await inputs({ 'python-version': '3.13' })).build.python.freethreaded).toBeUndefined();
  });

  it('from .python-version too', async () => {
    const dir = temporaryFolder('tls-floor-workspace-');
    writeFileSync(path.join(dir, '.python-version'), '3.14t\n');
    process.env['GITHUB_WORKSPACE'] = dir;
    const { value } = await captureLog(() => inputs());
    expect(value!.build.python).toMatchObject({ spec: '3.14', file: '.python-version', freethreaded: true });
  });

  it('3.12t is refused in one line naming the input and what is allowed', async () => {
    await expect(inputs({ 'python-version': '3.12t' })).rejects.toThrow(
      "python-version: '3.12t' asks for free-threaded CPython; CPython 3.12.13 has no free-threaded build: --disable-gil arrived in CPython 3.13 (PEP 703). Give 3.13t, 3.14t or another 3.13+ version with t.",
    );
    const dir = temporaryFolder('tls-floor-workspace-');
    writeFileSync(path.join(dir, '.python-version'), '3.9t\n');
    process.env['GITHUB_WORKSPACE'] = dir;
    await expect(inputs({ 'python-version-file': '.python-version' })).rejects.toThrow(
      /^python-version-file: '3\.9t' asks for free-threaded CPython; /,
    );
  });

  it('takes no t on a range or a requires-python specifier (setup-python neither)', async () => {
    await expect(inputs({ 'python-version': '>=3.13t' })).rejects.toThrow(
      /^python-version: '>=3\.13t' is not a version or a range/,
    );
    await expect(inputs({ 'python-version': '3.13tt' })).rejects.toThrow(
      /^python-version: '3\.13tt' is not a version or a range/,
    );
  });

  it('the resolution line says free-threaded, and so does the version output', async () => {
    const { build } = await inputs({ 'python-version': '3.13.5t' });
    const [python] = describeResolved(build);
    expect(python).toMatchObject({ version: '3.13.5', freethreaded: true });
    expect(python!.description).toMatch(/^'3\.13\.5t' resolved to 3\.13\.5 \(free-threaded\) \(checksum from /);
  });
});

describe('huge and odd values: one short line, in bounded time', () => {
  /** The first error of reading the inputs and resolving the client (sync or async code alike). */
  const firstError = async (given: Record<string, string>): Promise<string> => {
    const error = await (async () => {
      const read = await inputs(given);
      await resolveClient(read, { interpreter: '/usr/bin/python3', label: 'the obtained runtime' });
    })().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error, 'accepted').toBeInstanceOf(Error);
    return error!.message;
  };
  const big = 'a'.repeat(100_000);
  const digest = { 'runtime-archive-sha256': 'a'.repeat(64) };

  it.each<[string, Record<string, string>]>([
    ['client-path', { client: 'curl', 'client-path': `/opt/${big}` }],
    ['client-command', { client: 'command', 'client-command': `${big} {url}` }],
    ['python-path', { 'python-path': `/opt/${big}` }],
    ['python-version', { 'python-version': `3.${big}` }],
    ['openssl-version', { 'openssl-version': `3.${big}` }],
    ['runtime-archive-url', { 'runtime-archive-url': `https://mirror.example/${big}.tar.gz`, ...digest }],
  ])('a 100 KB %s', async (name, given) => {
    const message = await firstError(given);
    expect(message.startsWith(`${name}: `), message.slice(0, 200)).toBe(true);
    expect(message.length, message.slice(0, 300)).toBeLessThan(300);
  });

  it.each<[string, Record<string, string>]>([
    ['client-path', { client: 'curl', 'client-path': `/opt/${'p'.repeat(3000)}` }],
    ['python-path', { 'python-path': `/opt/${'p'.repeat(3000)}` }],
    ['client-command', { client: 'command', 'client-command': `/opt/${'p'.repeat(3000)} {url}` }],
  ])('a 3,000-character %s that names no program is clipped where it is echoed', async (name, given) => {
    const message = await firstError(given);
    expect(message.startsWith(`${name}: `), message.slice(0, 200)).toBe(true);
    expect(message).toMatch(/\.\.\. \(\d+ characters\)/);
    expect(message.length, message.slice(0, 300)).toBeLessThan(400);
  });

  it('python-version 3 followed by 100,000 digits is refused by its shape before any range conversion', async () => {
    const started = performance.now();
    const message = await firstError({ 'python-version': `3${'0'.repeat(100_000)}` });
    const ms = performance.now() - started;
    console.log(`python-version of 100,001 digits refused in ${ms.toFixed(1)} ms`);
    expect(message).toMatch(/^python-version: /);
    expect(message.length).toBeLessThan(300);
  }, 60_000);

  it.each([
    `3${'9'.repeat(60)}`,
    `>=3.${'1'.repeat(40)} <4`,
    `${'3.'.repeat(40)}1`,
    '3.13\u0000',
    '3.13; rm -rf /',
    '>=3.12 <3.14 || '.repeat(10),
  ])('python-version %j is refused by its shape in one line', async (spec) => {
    const message = await firstError({ 'python-version': spec });
    expect(message).toMatch(/^python-version: .*(at most 128 characters|not a version or a range)/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped (or must not appear)
    expect(message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('runtime-index: latest', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['GITHUB_ACTION_REPOSITORY', 'GITHUB_SERVER_URL']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('reads the rolling index of the repository the action was loaded from, and verifies every archive against it', async () => {
    process.env['GITHUB_ACTION_REPOSITORY'] = 'acme/tls-floor';
    process.env['GITHUB_SERVER_URL'] = 'https://github.com';
    const { build } = await inputs({ 'runtime-index': 'latest' });
    expect(build.index).toEqual({
      location: 'https://github.com/acme/tls-floor/releases/download/runtimes-index/index.json',
      explicit: true,
    });
    expect(build.provenance).toEqual({ repo: 'acme/tls-floor' });
    // Another signer may be named; verification is never off for a moving index.
    const other = await inputs({ 'runtime-index': 'latest', 'verify-provenance': 'corp/tls-floor-fork' });
    expect(other.build.provenance).toEqual({ repo: 'corp/tls-floor-fork' });
    const off = await inputs({ 'runtime-index': 'LATEST', 'verify-provenance': 'false' });
    expect(off.build.provenance).toEqual({ repo: 'acme/tls-floor' });
  });

  it('is one line where the step has no action repository (uses: ./)', async () => {
    delete process.env['GITHUB_ACTION_REPOSITORY'];
    await expect(inputs({ 'runtime-index': 'latest' })).rejects.toThrow(
      /^runtime-index: latest reads the index the action's own repository publishes, and this step has none \(uses: \.\/\); give a URL or a path\.$/,
    );
  });
});
