/**
 * The client kinds (`client: <name>`): everything the inputs, the action and the report know of
 * each, as data. The inputs check against it, the action finds a kind's program by it (and makes
 * its client through probe/clients/programs.ts), the report reads its labels. Adding a kind is
 * its declaration here, one line in programs.ts, its client and program, and its tests.
 */

/** The inputs that choose and set up a client; each kind names the ones it reads. */
export type ClientInput =
  | 'python-path'
  | 'client-path'
  | 'client-command'
  | 'client-shell'
  | 'libraries'
  | 'python-context';

export interface ClientKindDeclaration {
  /** The value of the `client` input, and the runtime's `kind` in the report. */
  readonly name: string;
  /** What it probes, for action.yml and the docs (one sentence). */
  readonly summary: string;
  /** The client inputs it reads besides `client`; any other one given with it is an error. */
  readonly inputs: readonly ClientInput[];
  /** A runtime client-path names (found, then given to its client: probe/clients/programs.ts). */
  readonly program?: ProgramKind;
  /** The clients it runs and the probe-mode each decides in (none: it decides in every mode). */
  readonly clients: Readonly<Record<string, 'default' | 'strict'>>;
  /** Something is built for it when no program is given (python: the hardened runtime). */
  readonly builds?: boolean;
  /** Its runtime reports its process's FIPS facts (python). */
  readonly fipsFacts?: boolean;
  /** What to change after a downgrade: where this runtime's floor lives. */
  readonly downgradeHint?: string;
}

/** A kind whose runtime client-path names: a program on PATH by default. */
export interface ProgramKind {
  /** client-path when it is not given: a command name looked up on PATH. */
  readonly default: string;
  /** What to give instead when it is not usable ('give the path to a node binary.'). */
  readonly advice: string;
  /** For the log, before the program's path: 'node', 'openssl s_client'. */
  readonly label: string;
}

/** Every client kind, in the order the docs and messages list them. */
export const CLIENT_KINDS = [
  {
    name: 'python',
    summary:
      'an interpreter (python-path, or the runtime the action obtains): its default and strict ssl contexts, plus the HTTP library clients that import',
    inputs: ['python-path', 'libraries', 'python-context'],
    clients: { default: 'default', strict: 'strict' },
    builds: true,
    fipsFacts: true,
  },
  {
    name: 'node',
    summary:
      'a node binary: tls.connect with its defaults (default) and asked for TLS 1.0 and every cipher (strict), plus the library clients libraries names (https, fetch, aws-sdk)',
    inputs: ['client-path', 'libraries'],
    program: { default: 'node', advice: 'give the path to a node binary.', label: 'node' },
    clients: { default: 'default', strict: 'strict' },
    downgradeHint: 'raise the minimum: `node --tls-min-v1.2` (or `tls.DEFAULT_MIN_VERSION`).',
  },
  {
    name: 'curl',
    summary: 'a curl binary, one run per handshake',
    inputs: ['client-path'],
    program: { default: 'curl', advice: 'give the path to a curl binary.', label: 'curl' },
    clients: { default: 'default', strict: 'strict' },
  },
  {
    name: 'openssl',
    summary: 'the s_client of an openssl binary, one run per handshake',
    inputs: ['client-path'],
    program: { default: 'openssl', advice: 'give the path to an openssl binary.', label: 'openssl s_client' },
    clients: { default: 'default', strict: 'strict' },
  },
  {
    name: 'java',
    summary:
      'a java (a JDK, 11 or later, or a script that runs one): java.net.http.HttpClient and HttpsURLConnection with their defaults (default), an HttpClient asked for every protocol from TLSv1 and every suite (strict)',
    inputs: ['client-path'],
    program: {
      default: 'java',
      advice: "give the path to a JDK's java (11 or later), or a script that runs one.",
      label: 'java',
    },
    clients: { default: 'default', urlconnection: 'default', strict: 'strict' },
    downgradeHint:
      'keep TLSv1 and TLSv1.1 in `jdk.tls.disabledAlgorithms` (java.security, or the file `-Djava.security.properties` names), or set `jdk.tls.client.protocols=TLSv1.3,TLSv1.2`.',
  },
  {
    name: 'go',
    summary:
      "a go command: a program it builds, with net/http's default client (default) and a tls.Config with MinVersion TLS 1.0 and every suite (strict)",
    inputs: ['client-path'],
    program: { default: 'go', advice: 'give the path to a go command (Go 1.13 or later).', label: 'go' },
    clients: { default: 'default', strict: 'strict' },
    downgradeHint: 'set `tls.Config.MinVersion = tls.VersionTLS12` (the default since Go 1.18).',
  },
  {
    name: 'ruby',
    summary: 'a ruby: Net::HTTP with its defaults (default) and with min_version TLS1 and every cipher (strict)',
    inputs: ['client-path'],
    program: { default: 'ruby', advice: 'give the path to a ruby.', label: 'ruby' },
    clients: { default: 'default', strict: 'strict' },
    downgradeHint:
      "raise the floor of the OpenSSL configuration ruby loads (`MinProtocol = TLSv1.2` in openssl.cnf's system_default section) or set `min_version = :TLS1_2`.",
  },
  {
    name: 'php',
    summary:
      'a php: the curl extension where loaded, else file_get_contents over https://, with its defaults (default) and asked for TLS 1.0 and every cipher (strict)',
    inputs: ['client-path'],
    program: { default: 'php', advice: 'give the path to a php command-line binary.', label: 'php' },
    clients: { default: 'default', strict: 'strict' },
    downgradeHint:
      "raise the floor of the OpenSSL configuration php loads (`MinProtocol = TLSv1.2` in openssl.cnf's system_default section) or set `CURLOPT_SSLVERSION` to `CURL_SSLVERSION_TLSv1_2`.",
  },
  {
    name: 'aws-cli',
    summary:
      "the AWS CLI (aws): its own requests (s3api list-buckets against the probe's servers, --ca-bundle the run's CA); it decides in every probe-mode",
    inputs: ['client-path'],
    program: { default: 'aws', advice: 'give the path to the AWS CLI (aws).', label: 'the AWS CLI' },
    clients: {},
    downgradeHint:
      "the AWS CLI v2 uses its bundled Python's ssl defaults: raise the floor of the OpenSSL configuration it loads (`MinProtocol = TLSv1.2`).",
  },
  {
    name: 'command',
    summary: 'your own command (client-command), run once per server; it decides in every probe-mode',
    inputs: ['client-command', 'client-shell'],
    clients: {},
  },
] as const satisfies readonly ClientKindDeclaration[];

type Declared = (typeof CLIENT_KINDS)[number];
export type ClientKind = Declared['name'];
/** The kinds whose runtime client-path names. */
export type ProgramClientKind = Extract<Declared, { program: ProgramKind }>['name'];

/** The names `client` allows. */
export const CLIENTS: readonly ClientKind[] = CLIENT_KINDS.map((k) => k.name);

/** The declaration of a kind by its name; undefined for a name no kind has. */
export function clientKindNamed(name: string): ClientKindDeclaration | undefined {
  return (CLIENT_KINDS as readonly ClientKindDeclaration[]).find((k) => k.name === name);
}

/** Whether `kind` reads `input`. */
export function kindReads(kind: string, input: ClientInput): boolean {
  return clientKindNamed(kind)?.inputs.includes(input) ?? false;
}

/** The kinds that read `input`, by name. */
export function kindsReading(input: ClientInput): ClientKind[] {
  return CLIENT_KINDS.filter((k) => kindReads(k.name, input)).map((k) => k.name);
}

/** The probe-mode a client of `kind` decides in, as its declaration says; undefined: every mode. */
export function clientMode(kind: string, client: string): 'default' | 'strict' | undefined {
  const clients: Readonly<Record<string, 'default' | 'strict'>> = clientKindNamed(kind)?.clients ?? {};
  return clients[client];
}
