import os from 'node:os';
import * as core from '@actions/core';
import { FLOORS, type Floor } from './floor.js';
import { InputError } from './errors.js';
import type { ClientDescription } from './probe/clients/client.js';
import { resolveVersion } from './runtime/versions.js';
import { specFromVersionFile } from './version-file.js';

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
  /** The exact version, resolved from the spec against the release table (runtime/versions.ts). */
  version: string;
  /** What was asked for: the input (3.13, >=3.12 <3.14, ...), the file's spec, or '' for the default. */
  spec: string;
  /** python-version-file, when the spec came from it. */
  file?: string;
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
      python: source(read, 'python'),
      openssl: source(read, 'openssl'),
      allowUnverifiedSource: bool(read, 'allow-unverified-source', false),
      jobs: buildJobs(read('build-jobs')),
      ...cacheInput(read),
      createArchive: bool(read, 'create-archive', false),
      ...archiveInput(read),
    },
  };
}

function bool(read: InputReader, name: string, fallback: boolean): boolean {
  return oneOf(name, read(name).toLowerCase(), ['true', 'false'], String(fallback) as 'true' | 'false') === 'true';
}

/** One component's source: its version spec (the input, or python-version-file) resolved against the release table. */
function source(read: InputReader, name: 'python' | 'openssl'): SourceInputs {
  const raw = read(`${name}-version`).trim();
  const file = name === 'python' ? read('python-version-file').trim() : '';
  if (raw && file) throw new InputError(`python-version-file: given with python-version '${raw}'; give one of them.`);
  const spec = file ? specFromVersionFile(file) : raw;
  const given = spec !== '';
  const sha256Input = read(`${name}-sha256`).trim();
  const { version } = resolveVersion(name, spec, {
    input: file ? `python-version-file (${spec})` : `${name}-version`,
    checksumGiven: sha256Input !== '',
    allowUnverified: bool(read, 'allow-unverified-source', false),
  });
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
  return { version, spec, ...(file ? { file } : {}), given, ...(urlTemplate ? { urlTemplate } : {}), ...(sha256 ? { sha256 } : {}) };
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
