import * as core from '@actions/core';
import { FLOORS, type Floor } from './floor.js';
import { InputError } from './errors.js';
import type { ClientDescription } from './probe/clients/client.js';

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
    failOnDowngrade: oneOf('fail-on-downgrade', read('fail-on-downgrade').toLowerCase(), ['true', 'false'], 'true') === 'true',
    client,
    ...(clientPath ? { clientPath } : {}),
    ...(clientCommand ? { clientCommand } : {}),
    clientShell,
  };
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
