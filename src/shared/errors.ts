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

/** A value as it may appear in an error line: on one line, at most `max` characters. */
export function clip(value: string, max = 120): string {
  const line = value.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max)}... (${value.length} characters)`;
}
