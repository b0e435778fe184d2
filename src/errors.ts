/**
 * A problem with what the user handed us (an input, the interpreter it names): reported
 * as one line that names the input and what is allowed.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** The text of anything thrown, Error or not. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}
