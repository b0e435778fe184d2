import os from 'node:os';
import * as core from '@actions/core';
import { FLOORS, type Floor } from './floor.js';
import { InputError } from './errors.js';
import type { ClientDescription } from './probe/clients/client.js';
import { DEFAULT_OPENSSL_VERSION, DEFAULT_PYTHON_VERSION } from './runtime/releases.js';

export const PROBE_MODES = ['both', 'strict', 'default'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

export const CLIENTS = ['python', 'node', 'curl', 'openssl', 'command'] as const;
export type ClientKind = (typeof CLIENTS)[number];

/** Every input, read once, validated, typed. */
export interface Inputs {
  /** The interpreter to probe; when set, nothing is built. */
  pythonPath?: string;
  floor: Floor;
  probeMode: ProbeMode;
  failOnDowngrade: boolean;
  /** The runtime to probe; anything but python means nothing is built. */
  client: ClientKind;
  /** The node, curl or openssl binary (default: that name on PATH). */
  clientPath?: string;
  /** client: command: the command template (see probe/clients/command_template.ts). */
  clientCommand?: string;
  /** client: command: run the template through /bin/sh, values shell-quoted. */
  clientShell: boolean;
  /** What to build when no python-path is given (client python only). */
  build: BuildInputs;
}

export interface SourceInputs {
  version: string;
  /** The version was given (not the default): an archive must then match it. */
  given: boolean;
  /** URL template; undefined: the known release's location or the upstream default. */
  urlTemplate?: string;
  sha256?: string;
}

export interface BuildInputs {
  python: SourceInputs;
  openssl: SourceInputs;
  allowUnverifiedSource: boolean;
  jobs: number;
  /** true/false as given; undefined: on where the cache service is available. */
  cache?: boolean;
  /** Pack the passing runtime into an archive (archive-path). */
  createArchive: boolean;
  /** Install this archive instead of building. */
  archive?: { url: string; sha256: string };
  /** Where prebuilt runtimes are listed (runtime-index); explicit: the user named it. */
  index?: { location: string; explicit: boolean };
  /** verify-provenance: the repository whose attestation a downloaded archive must carry. */
  provenance?: { repo: string };
}

export type InputReader = (name: string) => string;

/** Reads the inputs through `read` (core.getInput in Actions; a map in tests). */
export function readInputs(read: InputReader = (name) => core.getInput(name)): Inputs {
  const pythonPath = read('python-path').trim();
  const client = oneOf('client', read('client'), CLIENTS, 'python');
  const clientPath = read('client-path').trim();
  const clientCommand = read('client-command').trim();
  const clientShell = oneOf('client-shell', read('client-shell').toLowerCase(), ['true', 'false'], 'false') === 'true';
  // An input that would be ignored is an error: the user meant something by it.
  if (clientPath && !['node', 'curl', 'openssl'].includes(client)) {
    throw new InputError(`client-path: only for client node, curl or openssl (client is ${client}${client === 'python' ? '; use python-path' : ''}).`);
  }
  if (clientCommand && client !== 'command') throw new InputError(`client-command: only for client: command (client is ${client}).`);
  if (clientShell && client !== 'command') throw new InputError(`client-shell: only for client: command (client is ${client}).`);
  if (client === 'command' && !clientCommand) {
    throw new InputError(`client-command: required with client: command; give a command such as 'curl --cacert {ca} {url}'.`);
  }
  if (pythonPath && client !== 'python') throw new InputError(`python-path: only for client: python (client is ${client}); use client-path.`);
  return {
    ...(pythonPath ? { pythonPath } : {}),
    floor: oneOf('min-tls-version', read('min-tls-version'), FLOORS, '1.2'),
    probeMode: oneOf('probe-mode', read('probe-mode'), PROBE_MODES, 'both'),
    failOnDowngrade: bool(read, 'fail-on-downgrade', true),
    client,
    ...(clientPath ? { clientPath } : {}),
    ...(clientCommand ? { clientCommand } : {}),
    clientShell,
    build: {
      python: source(read, 'python', /^\d+\.\d+\.\d+$/, DEFAULT_PYTHON_VERSION, 'an exact CPython version such as 3.13.5'),
      openssl: source(read, 'openssl', /^\d+\.\d+\.\d+[a-z]?$/, DEFAULT_OPENSSL_VERSION, 'an exact OpenSSL version such as 3.5.7 or 1.1.1w'),
      allowUnverifiedSource: bool(read, 'allow-unverified-source', false),
      jobs: buildJobs(read('build-jobs')),
      ...cacheInput(read),
      createArchive: bool(read, 'create-archive', false),
      ...archiveInput(read),
      ...indexInput(read),
      ...provenanceInput(read),
    },
  };
}

function bool(read: InputReader, name: string, fallback: boolean): boolean {
  return oneOf(name, read(name).toLowerCase(), ['true', 'false'], String(fallback) as 'true' | 'false') === 'true';
}

function source(read: InputReader, name: 'python' | 'openssl', pattern: RegExp, fallback: string, what: string): SourceInputs {
  const given = read(`${name}-version`).trim() !== '';
  const version = given ? read(`${name}-version`).trim() : fallback;
  if (!pattern.test(version)) throw new InputError(`${name}-version: '${version}' is not allowed; give ${what}.`);
  const urlTemplate = read(`${name}-source-url`).trim();
  if (urlTemplate) {
    const unknown = urlTemplate.match(/\{[^}]*\}/g)?.filter((p) => p !== '{version}');
    if (unknown?.length) throw new InputError(`${name}-source-url: unknown placeholder ${unknown[0]}; the only placeholder is {version}.`);
    let url: URL | undefined;
    try {
      url = new URL(urlTemplate.replaceAll('{version}', version));
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new InputError(`${name}-source-url: '${urlTemplate}' is not an http(s) URL template; give e.g. https://mirror.example/${name}-{version}.tar.gz.`);
    }
  }
  const sha256 = read(`${name}-sha256`).trim().toLowerCase();
  if (sha256 && !/^[0-9a-f]{64}$/.test(sha256)) throw new InputError(`${name}-sha256: '${sha256}' is not a SHA-256 digest; give 64 hexadecimal characters.`);
  return { version, given, ...(urlTemplate ? { urlTemplate } : {}), ...(sha256 ? { sha256 } : {}) };
}

function cacheInput(read: InputReader): { cache?: boolean } {
  const raw = read('cache').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return {};
  return { cache: oneOf('cache', raw, ['true', 'false', 'auto'], 'auto') === 'true' };
}

function archiveInput(read: InputReader): { archive?: { url: string; sha256: string } } {
  const url = read('runtime-archive-url').trim();
  const sha256 = read('runtime-archive-sha256').trim().toLowerCase();
  if (!url && !sha256) return {};
  if (!url) throw new InputError('runtime-archive-sha256: given without runtime-archive-url; give both, or neither to build.');
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError(`runtime-archive-sha256: ${sha256 ? `'${sha256}' is not a SHA-256 digest` : 'required with runtime-archive-url'}; give the 64 hexadecimal characters of the archive's SHA-256 (its .sha256 file).`);
  }
  if (!/^(https?:|file:|\/)/.test(url)) throw new InputError(`runtime-archive-url: '${url}' is not allowed; give an http(s) or file: URL, or an absolute path.`);
  return { archive: { url, sha256 } };
}

/** runtime-index: a URL or a path, 'none', or empty for the index of the action's own release. */
function indexInput(read: InputReader): { index?: { location: string; explicit: boolean } } {
  const raw = read('runtime-index').trim();
  const archive = read('runtime-archive-url').trim() !== '';
  if (raw.toLowerCase() === 'none') return {};
  if (raw) {
    if (archive) throw new InputError('runtime-index: not with runtime-archive-url (that archive is installed, the index would be ignored); give one of them.');
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^(https?|file):/i.test(raw)) {
      throw new InputError(`runtime-index: '${raw}' is not allowed; give an http(s) or file: URL, a path, or none.`);
    }
    return { index: { location: raw, explicit: true } };
  }
  const derived = archive ? undefined : defaultIndexLocation();
  return derived ? { index: { location: derived, explicit: false } } : {};
}

/** verify-provenance: false (default), true (the action's own repository) or owner/repo. */
function provenanceInput(read: InputReader): { provenance?: { repo: string } } {
  const raw = read('verify-provenance').trim();
  if (raw === '' || raw.toLowerCase() === 'false') return {};
  const repo = raw.toLowerCase() === 'true' ? process.env['GITHUB_ACTION_REPOSITORY']?.trim() : raw;
  if (!repo) throw new InputError('verify-provenance: true names the repository the action was loaded from, and this step has none (uses: ./); give owner/repo.');
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new InputError(`verify-provenance: '${raw}' is not allowed; give true, false or owner/repo.`);
  const archive = read('runtime-archive-url').trim() !== '';
  const index = read('runtime-index').trim().toLowerCase();
  if (!archive && (index === 'none' || (index === '' && !defaultIndexLocation()))) {
    throw new InputError('verify-provenance: there is no archive to verify (runtime-index is off and no runtime-archive-url is given); give one, or set verify-provenance: false.');
  }
  return { provenance: { repo } };
}

/**
 * The index published with the release the action was loaded from (GITHUB_ACTION_REPOSITORY
 * and GITHUB_ACTION_REF, which the runner sets for a `uses: owner/repo@ref` step). None for
 * `uses: ./` (neither is set) or a commit SHA (no release has that name).
 */
export function defaultIndexLocation(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const repo = env['GITHUB_ACTION_REPOSITORY']?.trim();
  const ref = env['GITHUB_ACTION_REF']?.trim();
  if (!repo || !ref || !/^[\w.-]+\/[\w.-]+$/.test(repo) || /^[0-9a-f]{40}$/.test(ref)) return undefined;
  return `https://github.com/${repo}/releases/download/${encodeURIComponent(ref)}/index.json`;
}

function buildJobs(raw: string): number {
  const value = raw.trim();
  if (value === '') return os.availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1024) {
    throw new InputError(`build-jobs: '${value}' is not allowed; give a whole number from 1 to 1024 (default: the number of CPUs, ${os.availableParallelism()}).`);
  }
  return Number(value);
}

/**
 * The clients whose handshakes decide the verdict in a probe mode. Given the clients a
 * probe ran: those of the mode (both: all), a client without a mode (a user's command)
 * always, and an optional one (urllib3) only if it ran. Without them: the built-in pair.
 */
export function decidingClients(mode: ProbeMode, clients?: readonly ClientDescription[]): string[] {
  if (!clients) return mode === 'both' ? ['default', 'strict'] : [mode];
  return clients
    .filter((c) => (c.mode === undefined || mode === 'both' || c.mode === mode) && (c.ran || !c.optional))
    .map((c) => c.name);
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const value = raw.trim();
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${name}: '${value}' is not allowed; use ${allowed.join(', ')} (default ${fallback}).`);
}
