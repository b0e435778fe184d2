import { type ClientInput, type ClientKind, clientKindNamed, kindReads, kindsReading } from '../probe/client_kinds.js';
import { clip, InputError } from '../shared/errors.js';
import { type Library, NODE_LIBRARIES, PYTHON_LIBRARIES } from '../shared/libraries.js';

// The client inputs (client-path, client-command, client-shell, libraries, python-context) as each
// client kind's declaration (probe/client_kinds.ts) says it reads them.

/** Whether `client` reads `input` (its declaration names it). */
export function reads(client: ClientKind, input: ClientInput): boolean {
  return kindReads(client, input);
}

/** Whether a runtime is built for `client` when no program is given. */
export function builds(client: ClientKind): boolean {
  return clientKindNamed(client)?.builds === true;
}

/** 'only for client: command', 'only for client node, curl or openssl': the kinds that read `input`. */
export function onlyFor(input: ClientInput): string {
  const kinds = kindsReading(input);
  if (kinds.length === 1) return `only for client: ${kinds[0]}`;
  return `only for client ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}

/** The first of the given client inputs that `client` does not read, as an error line; undefined: none. */
export function notReadBy(client: ClientKind, given: Partial<Record<ClientInput, string>>): string | undefined {
  const input = (Object.keys(given) as ClientInput[]).find((name) => given[name] && !reads(client, name));
  if (!input) return undefined;
  // Where the kind names its program with another input, say which.
  const programInputs: readonly ClientInput[] = ['python-path', 'client-path'];
  const instead = programInputs.includes(input)
    ? programInputs.find((other) => other !== input && reads(client, other))
    : undefined;
  if (input === 'python-path')
    return `python-path: ${onlyFor(input)} (client is ${client})${instead ? `; use ${instead}` : ''}.`;
  return `${input}: ${onlyFor(input)} (client is ${client}${instead ? `; use ${instead}` : ''}).`;
}

/**
 * libraries: auto (undefined: for client python every one that imports; for client node none),
 * none, or a list of names: client python's (PYTHON_LIBRARIES) or client node's (NODE_LIBRARIES).
 */
export function librariesInput(raw: string, client: ClientKind): readonly Library[] | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'auto') return undefined;
  if (!reads(client, 'libraries')) throw new InputError(`libraries: ${onlyFor('libraries')} (client is ${client}).`);
  const known: readonly Library[] = client === 'python' ? PYTHON_LIBRARIES : NODE_LIBRARIES;
  const allowed = `give auto, none, or one or more of ${known.join(', ')}`;
  if (value === 'none') return [];
  const names = value.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !(known as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new InputError(`libraries: '${clip(unknown.join("', '"))}' is not allowed; ${allowed}.`);
  return known.filter((l) => names.includes(l));
}

const PYTHON_NAME = '[A-Za-z_][A-Za-z0-9_]*';
const PYTHON_CONTEXT = new RegExp(`^${PYTHON_NAME}(\\.${PYTHON_NAME})*:${PYTHON_NAME}(\\.${PYTHON_NAME})*$`);

/** python-context: module:callable (client python only); empty: none. */
export function pythonContextInput(raw: string, client: ClientKind): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (!reads(client, 'python-context'))
    throw new InputError(`python-context: ${onlyFor('python-context')} (client is ${client}).`);
  if (!PYTHON_CONTEXT.test(value))
    throw new InputError(
      `python-context: '${clip(value)}' is not allowed; give module:callable, e.g. mypkg.net:make_session.`,
    );
  return value;
}
