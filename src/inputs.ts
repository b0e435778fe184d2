import * as core from '@actions/core';
import { FLOORS, type Floor } from './floor.js';
import { InputError } from './errors.js';

export const PROBE_MODES = ['both', 'strict', 'default'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

/** Every input, read once, validated, typed. */
export interface Inputs {
  /** The interpreter to probe; when set, nothing is built. */
  pythonPath?: string;
  floor: Floor;
  probeMode: ProbeMode;
  failOnDowngrade: boolean;
}

export type InputReader = (name: string) => string;

/** Reads the inputs through `read` (core.getInput in Actions; a map in tests). */
export function readInputs(read: InputReader = (name) => core.getInput(name)): Inputs {
  const pythonPath = read('python-path').trim();
  return {
    ...(pythonPath ? { pythonPath } : {}),
    floor: oneOf('min-tls-version', read('min-tls-version'), FLOORS, '1.2'),
    probeMode: oneOf('probe-mode', read('probe-mode'), PROBE_MODES, 'both'),
    failOnDowngrade: oneOf('fail-on-downgrade', read('fail-on-downgrade').toLowerCase(), ['true', 'false'], 'true') === 'true',
  };
}

/** The clients whose handshakes decide the verdict in a probe mode. */
export function decidingClients(mode: ProbeMode): string[] {
  return mode === 'both' ? ['default', 'strict'] : [mode];
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const value = raw.trim();
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${name}: '${value}' is not allowed; use ${allowed.join(', ')} (default ${fallback}).`);
}
