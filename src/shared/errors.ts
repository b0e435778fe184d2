import { foreign } from './foreign.js';

/**
 * A problem with what the user handed us (an input, the interpreter it names): reported
 * as one line that names the input and what is allowed.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** The text of anything thrown, Error or not; a resource limit says which one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === 'EMFILE' && !/ulimit/.test(error.message)
        ? ' (the file-descriptor limit, ulimit -n, is too low for this step)'
        : '';
    return `${error.message}${hint}`;
  }
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

/**
 * A value as it may appear in an error line: foreign text for the log (shared/foreign.ts): on one
 * line, at most `max` characters, control and invisible characters escaped (\x1b, \u202e), no
 * workflow command, so no value can rewrite the log it lands in.
 */
export function clip(value: string, max = 120): string {
  return foreign(value, { max, for: 'log' });
}

/**
 * What a refusal is about, in the terms of the layer that refuses it (the runtime, the probe's
 * command template). No layer below the action names an input: the action's edge
 * (action/refusals.ts) maps each subject to the input that gave it.
 */
export type Subject =
  | 'python-source'
  | 'openssl-source'
  | 'python-checksum'
  | 'openssl-checksum'
  | 'unverified-sources'
  | 'versions'
  | 'archive'
  | 'archive-checksum'
  | 'archive-making'
  | 'index'
  | 'provenance'
  | 'client'
  | 'command'
  | 'app-context'
  | 'fips';

/** A subject named inside a refusal's sentence ("give <python-checksum> with the SHA-256 of ..."). */
export class Mention {
  constructor(readonly subject: Subject) {}
}
export const mention = (subject: Subject): Mention => new Mention(subject);

export type Said = string | Mention;

/**
 * Something given (`subject`) is refused. The sentence names no input; `sentence(name)` says it
 * with each subject named as `name` says. Its own message names the subjects in brackets.
 */
export class Refusal extends Error {
  override name = 'Refusal';
  readonly parts: readonly Said[];
  constructor(
    readonly subject: Subject,
    ...parts: Said[]
  ) {
    super(`[${subject}] ${say(parts, (s) => `[${s}]`)}`);
    this.parts = parts;
  }

  sentence(name: (subject: Subject) => string): string {
    return say(this.parts, name);
  }
}

/**
 * What a subject named was fetched and cannot be used (a checksum mismatch, a tarball that is
 * not a source tree): a refusal the action reports as its own failure, not as bad input.
 */
export class Unusable extends Refusal {
  override name = 'Unusable';
}

function say(parts: readonly Said[], name: (subject: Subject) => string): string {
  return parts.map((p) => (typeof p === 'string' ? p : name(p.subject))).join('');
}
