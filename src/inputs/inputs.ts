import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { newestValidatedProvider } from '../policies/cmvp.js';
import { POLICIES } from '../policies/policies.js';
import { POLICY_IDS, type Policy, type PolicyId } from '../policies/rules.js';
import { CLIENTS, type ClientKind } from '../probe/client_kinds.js';
import { freeThreadedProblem } from '../runtime/model/compat.js';
import { type BuildInputs, OPTIMIZATIONS, type Optimization, type SourceInputs } from '../runtime/model/request.js';
import { findRelease, freeThreadedSpec, resolveVersion } from '../runtime/model/versions.js';
import { clip, InputError } from '../shared/errors.js';
import { FLOORS, type Floor } from '../shared/floor.js';
import type { Library } from '../shared/libraries.js';
import { isSha256 } from '../shared/sha256.js';
import { type BaselineMode, baselineInput } from './baseline.js';
import { builds, librariesInput, notReadBy, onlyFor, pythonContextInput, reads } from './client_inputs.js';
import { LABEL_DEFAULT, labelInput } from './label.js';
import { isLatest, latestIndex, provenanceInput } from './provenance.js';
import { freethreadedVersion, runtimeCacheInput, updateEnvironmentInput } from './setup_python.js';
import { specFromVersionFile, type VersionFileSpec } from './version-file.js';

export const PROBE_MODES = ['both', 'strict', 'default'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

export { CLIENTS, type ClientKind } from '../probe/client_kinds.js';

export type { BuildInputs, SourceInputs } from '../runtime/model/request.js';

/** Every input, read once, validated, typed. */
export interface Inputs {
  /** The interpreter to probe; when set, nothing is built. */
  pythonPath?: string;
  floor: Floor;
  probeMode: ProbeMode;
  failOnDowngrade: boolean;
  /** baseline: the posture file in the workspace this run is compared with (or writes), and what a difference does. */
  baseline?: { file: string; mode: BaselineMode };
  /** The policies to judge the runtime by (`floor`, the default: the version floor alone). */
  policies: readonly Policy[];
  /** The runtime to probe; anything but python means nothing is built. */
  client: ClientKind;
  /** The node, curl or openssl binary (default: that name on PATH). */
  clientPath?: string;
  /** client: command: the command template (see probe/clients/command_template.ts). */
  clientCommand?: string;
  /** client: command: run the template through /bin/sh, values shell-quoted. */
  clientShell: boolean;
  /** client python or node: the library clients to run where they can (absent: auto: python's all, node's none). */
  libraries?: readonly Library[];
  /** client python: `module:callable` returning the application's TLS configuration (client `app`). */
  pythonContext?: string;
  /** What to build when no python-path is given (client python only). */
  build: BuildInputs;
  /** update-environment: false leaves PATH and the job's environment alone. */
  updateEnvironment: boolean;
  /** The run's name in the report, the summaries, SARIF and JUnit (label.ts); absent: derived from the runtime. */
  label?: string;
}

export type InputReader = (name: string) => string;

/**
 * What an input means when the workflow leaves it out: the one place the defaults live.
 * action.yml declares exactly these as `default:` (the runner passes them as INPUT_*; the
 * tests hold the two equal), so a value other than this one is the user's. `auto` is
 * resolved at run time: build-jobs to the number of CPUs, cache to on where the cache
 * service is available. The inputs not named here have no default: empty means not given
 * (python-version and openssl-version: an archive's own versions, else the newest known).
 */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  client: 'python',
  'client-shell': 'false',
  'min-tls-version': '1.2',
  'probe-mode': 'both',
  libraries: 'auto',
  'fail-on-downgrade': 'true',
  policy: 'floor',
  'allow-unverified-source': 'false',
  'build-jobs': 'auto',
  'runtime-cache': 'auto',
  freethreaded: 'false',
  'update-environment': 'true',
  // ${{ github.token }} in action.yml: the runner passes the job's token, scripts/runner-inputs.mjs none.
  token: '',
  'create-archive': 'false',
  'verify-provenance': 'false',
  'check-latest': 'false',
  fips: 'false',
  optimize: 'auto',
  'baseline-mode': 'fail',
  label: LABEL_DEFAULT,
};

/**
 * The longest value any input may have (a path is at most 4096 bytes on Linux; a command or a
 * signed URL fits): a longer one is refused in one short line before anything reads it.
 */
export const MAX_INPUT_CHARS = 8192;

/** The input as given, or its default when it is empty (as when read outside the runner); bounded in length. */
function withDefaults(read: InputReader): InputReader {
  return (name) => {
    const value = read(name).trim();
    if (value.length > MAX_INPUT_CHARS) {
      throw new InputError(
        `${name}: '${clip(value, 40)}' is too long; an input is at most ${MAX_INPUT_CHARS} characters.`,
      );
    }
    return value || (INPUT_DEFAULTS[name] ?? '');
  };
}

/**
 * Reads the inputs through `read` (core.getInput in Actions; a map in tests). Asynchronous:
 * python-version-file is read from the workspace without blocking the event loop.
 */
export async function readInputs(given: InputReader = (name) => core.getInput(name)): Promise<Inputs> {
  const read = withDefaults(given);
  const pythonPath = read('python-path').trim();
  const client = oneOf('client', read('client'), CLIENTS);
  const clientPath = read('client-path').trim();
  const clientCommand = read('client-command').trim();
  const clientShell = oneOf('client-shell', read('client-shell').toLowerCase(), ['true', 'false']) === 'true';
  // An input that would be ignored is an error: the user meant something by it.
  const unread = notReadBy(client, {
    'client-path': clientPath,
    'client-command': clientCommand,
    'python-path': pythonPath,
  });
  if (unread) throw new InputError(unread);
  if (clientShell && !reads(client, 'client-shell'))
    throw new InputError(`client-shell: ${onlyFor('client-shell')} (client is ${client}).`);
  if (client === 'command' && !clientCommand) {
    throw new InputError(
      `client-command: required with client: command; give a command such as 'curl --cacert {ca} {url}'.`,
    );
  }
  const ignored = ignoredInput(read, pythonPath, client);
  if (ignored) throw new InputError(ignored);
  const libraries = librariesInput(read('libraries'), client);
  const pythonContext = pythonContextInput(read('python-context'), client);
  const versionFile = read('python-version-file').trim() || (defaultVersionFile(read, pythonPath, client) ?? '');
  const pythonFromFile =
    versionFile && !read('python-version').trim() ? await specFromVersionFile(versionFile) : undefined;
  return {
    ...(pythonPath ? { pythonPath } : {}),
    floor: oneOf('min-tls-version', read('min-tls-version'), FLOORS),
    probeMode: oneOf('probe-mode', read('probe-mode'), PROBE_MODES),
    failOnDowngrade: bool(read, 'fail-on-downgrade'),
    ...(await baselineInput(read)),
    policies: policiesFromInput(read('policy')),
    client,
    ...(clientPath ? { clientPath } : {}),
    ...(clientCommand ? { clientCommand } : {}),
    clientShell,
    ...(libraries ? { libraries } : {}),
    ...(pythonContext ? { pythonContext } : {}),
    updateEnvironment: updateEnvironmentInput(read),
    ...labelInput(read('label')),
    build: {
      python: source(read, 'python', pythonFromFile, pythonFromFile ? versionFile : read('python-version-file').trim()),
      openssl: source(read, 'openssl'),
      allowUnverifiedSource: bool(read, 'allow-unverified-source'),
      checkLatest: bool(read, 'check-latest'),
      jobs: buildJobs(read('build-jobs')),
      ...runtimeCacheInput(read),
      createArchive: bool(read, 'create-archive'),
      ...archiveInput(read),
      ...indexInput(read),
      ...provenanceInput(read),
      ...fipsInput(read),
      ...optimizeInput(read),
    },
  };
}

/** The inputs of a build from source, which an archive install does not do. */
const SOURCE_BUILD_INPUTS = [
  'python-source-url',
  'openssl-source-url',
  'python-sha256',
  'openssl-sha256',
  'allow-unverified-source',
  'build-jobs',
  'cache',
  'runtime-cache',
  'check-latest',
  'optimize',
];
/** The inputs that only matter when a runtime is built or installed (client python, no python-path). */
export const BUILD_INPUTS = [
  'python-version',
  'freethreaded',
  'python-version-file',
  'openssl-version',
  ...SOURCE_BUILD_INPUTS,
  'create-archive',
  'runtime-archive-url',
  'runtime-archive-sha256',
  'runtime-index',
  'verify-provenance',
  'fips',
  'fips-provider-version',
];

/** The first input that the others make meaningless, as an error naming both; undefined: none. */
function ignoredInput(read: InputReader, pythonPath: string, client: ClientKind): string | undefined {
  // Set by the user: anything but empty or the default (the runner passes defaults as values).
  const set = (name: string) => {
    const value = read(name).trim().toLowerCase();
    return value !== '' && value !== INPUT_DEFAULTS[name];
  };
  const ignored = (list: string[], by: string, why: string) => {
    const name = list.find(set);
    return name && `${name}: ignored with ${by} (${why}); remove one of them.`;
  };
  if (pythonPath) return ignored(BUILD_INPUTS, 'python-path', 'nothing is built when python-path is given');
  if (!builds(client)) {
    return ignored(BUILD_INPUTS, `client: ${client}`, 'nothing is built for a client other than python');
  }
  if (set('runtime-archive-url')) {
    return ignored(SOURCE_BUILD_INPUTS, 'runtime-archive-url', 'nothing is built when an archive is installed');
  }
  return undefined;
}

function bool(read: InputReader, name: string): boolean {
  return oneOf(name, read(name).toLowerCase(), ['true', 'false']) === 'true';
}

/**
 * As actions/setup-python does: with neither python-version nor python-version-file, a
 * .python-version at the workspace root is the spec (and the log says so). Not for an
 * archive (it carries its own versions) nor when nothing is built.
 */
function defaultVersionFile(read: InputReader, pythonPath: string, client: ClientKind): string | undefined {
  if (pythonPath || !builds(client) || read('runtime-archive-url').trim()) return undefined;
  if (read('python-version').trim() || read('python-version-file').trim()) return undefined;
  const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
  if (!existsSync(path.join(workspace, '.python-version'))) return undefined;
  core.info(`python-version: not given; reading .python-version at the workspace root (${workspace}).`);
  return '.python-version';
}

/** One component's source: its version spec (the input, or python-version-file) resolved against the release table. */
function source(
  read: InputReader,
  name: 'python' | 'openssl',
  fromFile?: VersionFileSpec,
  fileName = '',
): SourceInputs {
  const raw = read(`${name}-version`).trim();
  const file = name === 'python' ? fileName : '';
  if (raw && file)
    throw new InputError(`python-version-file: given with python-version '${clip(raw, 40)}'; give one of them.`);
  const syntax = fromFile?.syntax ?? 'setup-python';
  const input = file ? 'python-version-file' : `${name}-version`;
  // 3.13t (or freethreaded: true): free-threaded, as setup-python reads it (CPython only, not a
  // requires-python specifier).
  const asked =
    name === 'python' && syntax === 'setup-python'
      ? freethreadedVersion(read, fromFile?.spec ?? raw)
      : (fromFile?.spec ?? raw);
  const { spec, freethreaded } =
    name === 'python' && syntax === 'setup-python' ? freeThreadedSpec(asked) : { spec: asked, freethreaded: false };
  const given = spec !== '';
  const sha256Input = read(`${name}-sha256`).trim();
  const { version } = resolveVersion(name, spec, {
    input,
    checksumGiven: sha256Input !== '',
    allowUnverified: bool(read, 'allow-unverified-source'),
    syntax,
  });
  const noFreeThreading = freethreaded && freeThreadedProblem(version);
  if (noFreeThreading)
    throw new InputError(
      `${input}: '${clip(asked, 40)}' asks for free-threaded CPython; ${noFreeThreading}. Give 3.13t, 3.14t or another 3.13+ version with t.`,
    );
  const urlTemplate = read(`${name}-source-url`).trim();
  if (urlTemplate) {
    const unknown = urlTemplate.match(/\{[^}]*\}/g)?.filter((p) => p !== '{version}');
    if (unknown?.length)
      throw new InputError(`${name}-source-url: unknown placeholder ${unknown[0]}; the only placeholder is {version}.`);
    let url: URL | undefined;
    try {
      url = new URL(urlTemplate.replaceAll('{version}', version));
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new InputError(
        `${name}-source-url: '${clip(urlTemplate)}' is not an http(s) URL template; give e.g. https://mirror.example/${name}-{version}.tar.gz.`,
      );
    }
  }
  const sha256 = read(`${name}-sha256`).trim().toLowerCase();
  if (sha256 && !isSha256(sha256))
    throw new InputError(`${name}-sha256: '${clip(sha256)}' is not a SHA-256 digest; give 64 hexadecimal characters.`);
  return {
    version,
    spec,
    ...(syntax === 'pep440' ? { syntax } : {}),
    ...(freethreaded ? { freethreaded } : {}),
    ...(file ? { file } : {}),
    given,
    ...(urlTemplate ? { urlTemplate } : {}),
    ...(sha256 ? { sha256 } : {}),
  };
}

/** optimize: none or pgo-lto as given; auto (the default) is left out (runtime/obtain.ts decides). */
function optimizeInput(read: InputReader): { optimize?: Optimization } {
  const value = oneOf('optimize', read('optimize').toLowerCase(), [...OPTIMIZATIONS, 'auto']);
  return value === 'auto' ? {} : { optimize: value };
}

function archiveInput(read: InputReader): { archive?: { url: string; sha256: string } } {
  const url = read('runtime-archive-url').trim();
  const sha256 = read('runtime-archive-sha256').trim().toLowerCase();
  if (!url && !sha256) return {};
  if (!url)
    throw new InputError('runtime-archive-sha256: given without runtime-archive-url; give both, or neither to build.');
  if (!isSha256(sha256)) {
    throw new InputError(
      `runtime-archive-sha256: ${sha256 ? `'${clip(sha256)}' is not a SHA-256 digest` : 'required with runtime-archive-url'}; give the 64 hexadecimal characters of the archive's SHA-256 (its .sha256 file).`,
    );
  }
  if (!/^(https?:|file:|\/)/.test(url))
    throw new InputError(
      `runtime-archive-url: '${clip(url)}' is not allowed; give an http(s) or file: URL, or an absolute path.`,
    );
  return { archive: { url, sha256 } };
}

/** runtime-index: a URL or a path, 'latest', 'none', or empty for the index inside the action (runtimes/index.json). */
function indexInput(read: InputReader): { index?: { location: string; explicit: boolean } } {
  const raw = read('runtime-index').trim();
  const archive = read('runtime-archive-url').trim() !== '';
  if (raw.toLowerCase() === 'none') return {};
  if (raw) {
    if (archive)
      throw new InputError(
        'runtime-index: not with runtime-archive-url (that archive is installed, the index would be ignored); give one of them.',
      );
    if (isLatest(read)) return { index: { location: latestIndex(), explicit: true } };
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^(https?|file):/i.test(raw)) {
      throw new InputError(
        `runtime-index: '${clip(raw)}' is not allowed; give an http(s) or file: URL, a path, latest, or none.`,
      );
    }
    return { index: { location: raw, explicit: true } };
  }
  return archive ? {} : { index: { location: defaultIndexLocation(), explicit: false } };
}

/** fips: true, with fips-provider-version (default: the newest validated provider in policies/cmvp.json). */
function fipsInput(read: InputReader): { fips?: { providerVersion: string; providerGiven: boolean } } {
  const fips = bool(read, 'fips');
  const given = read('fips-provider-version').trim();
  if (!fips) {
    if (given) throw new InputError('fips-provider-version: only with fips: true.');
    return {};
  }
  const providerVersion = given || newestValidatedProvider();
  if (!/^3\.\d+\.\d+$/.test(providerVersion))
    throw new InputError(
      `fips-provider-version: '${clip(providerVersion, 40)}' is not allowed; give an OpenSSL 3.x release such as ${newestValidatedProvider()}.`,
    );
  if (!findRelease('openssl', providerVersion) && !bool(read, 'allow-unverified-source'))
    throw new InputError(
      `fips-provider-version: no checksum for OpenSSL ${providerVersion} in the action's table of releases; give a release the table holds, such as ${newestValidatedProvider()}.`,
    );
  return { fips: { providerVersion, providerGiven: given !== '' } };
}

/**
 * The index that ships inside the action: runtimes/index.json in the action's own folder,
 * GITHUB_ACTION_PATH where the runner sets it, else the parent of the folder the bundle runs
 * from (dist/index.js). It is read from disk, so it works the same for a tag, a branch and a
 * commit SHA, and a SHA pin pins every archive's digest with the code.
 */
export function defaultIndexLocation(env: NodeJS.ProcessEnv = process.env, script = process.argv[1] ?? ''): string {
  const action = env['GITHUB_ACTION_PATH']?.trim() || path.dirname(path.dirname(path.resolve(script)));
  return path.join(action, 'runtimes', 'index.json');
}

function buildJobs(raw: string): number {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'auto') return os.availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1024) {
    const cpus = os.availableParallelism();
    throw new InputError(
      `build-jobs: '${clip(raw.trim())}' is not allowed; give a whole number from 1 to 1024, or auto (the number of CPUs, ${cpus}).`,
    );
  }
  return Number(value);
}

/** One of `allowed`; empty is the input's default (INPUT_DEFAULTS, which names one of them). */
function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const fallback = INPUT_DEFAULTS[name];
  const value = raw.trim() || fallback;
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    `${name}: '${clip(raw.trim())}' is not allowed; use ${allowed.join(', ')} (default ${fallback}).`,
  );
}

/** The policy input: one or more policy ids, separated by commas, blanks or new lines. */
export function policiesFromInput(value: string): Policy[] {
  const names = value.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0) throw new InputError(`policy: give one or more of ${POLICY_IDS.join(', ')}`);
  const unknown = names.filter((n) => !(POLICY_IDS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new InputError(`policy: '${clip(unknown.join("', '"))}' is not one of ${POLICY_IDS.join(', ')}`);
  }
  return [...new Set(names)].map((n) => POLICIES[n as PolicyId]);
}
