import { InputError, Refusal, type Subject, Unusable } from '../shared/errors.js';

/** The input each subject of a refusal comes from: the one place below the inputs that names them. */
const INPUT_OF: Record<Subject, string> = {
  'python-source': 'python-source-url',
  'openssl-source': 'openssl-source-url',
  'python-checksum': 'python-sha256',
  'openssl-checksum': 'openssl-sha256',
  'unverified-sources': 'allow-unverified-source',
  versions: 'python-version/openssl-version',
  archive: 'runtime-archive-url',
  'archive-checksum': 'runtime-archive-sha256',
  'archive-making': 'create-archive',
  index: 'runtime-index',
  provenance: 'verify-provenance',
  client: 'client',
  command: 'client-command',
  'app-context': 'python-context',
  fips: 'fips',
};

/**
 * A refusal as the one line the user reads, naming the input that gave its subject: bad input
 * as an InputError; something fetched and unusable as the action's own failure. Anything else
 * is returned as it is.
 */
export function namingInputs(error: unknown): unknown {
  if (!(error instanceof Refusal)) return error;
  const line = `${INPUT_OF[error.subject]}: ${error.sentence((s) => INPUT_OF[s])}`;
  return error instanceof Unusable ? new Error(line) : new InputError(line);
}
