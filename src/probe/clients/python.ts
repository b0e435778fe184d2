import { ClientStartError } from './client.js';
import { runFacts, ScriptClient, type ScriptDescription } from './script_client.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./python_probe.py', import.meta.url);

/** What python_probe.py says of the interpreter (its report's `runtime`). */
export interface PythonRuntime {
  implementation: string;
  version: string;
  executable: string;
  opensslVersion: string;
  has: Record<string, boolean | null>;
  sslModule: string | null;
  /** libssl/libcrypto mapped into the process (/proc/self/maps); null where there is none. */
  libssl: string[] | null;
}

/** In facts mode, also: what the build's verification needs. */
export interface PythonFacts extends PythonRuntime {
  /** The files of _ssl and _hashlib (for ldd/otool). */
  extensionFiles: string[];
  verifyPaths: Record<string, string | null>;
  defaultCaCount: number;
  /** Of the optional modules asked about, those that do not import. */
  missingModules: string[];
}

function describePython(interpreter: string): ScriptDescription<PythonRuntime> {
  return {
    name: 'the Python client',
    program: interpreter,
    // -E -s: no PYTHON* variables, no user site: the interpreter as installed (both exist
    // since 2.x, so an old Python still reaches the script's version check).
    args: (script) => ['-E', '-s', '-c', script],
    script: SCRIPT_URL,
    clientCount: 3,
    what: 'Python >= 3.6',
    advice: 'give a Python >= 3.6 interpreter.',
    fatal: (kind, detail) =>
      kind === 'too-old'
        ? new ClientStartError(`${interpreter} is ${detail}`, 'Python 3.6 or later is required.')
        : new ClientStartError(`${interpreter} has no ssl module (${detail})`, 'it cannot speak TLS at all.'),
    runtime: (runtime) => ({
      kind: 'python',
      path: interpreter,
      version: `${runtime.implementation} ${runtime.version}`,
      tlsLibrary: runtime.opensslVersion,
      details: {
        executable: runtime.executable,
        ...runtime.has,
        sslModule: runtime.sslModule,
        loadedLibraries: runtime.libssl ?? 'not reported on this platform',
      },
    }),
    // urllib3 is an extra: it runs only where the interpreter can import it.
    role: (name) => (name === 'urllib3' ? { mode: 'default', optional: true } : { mode: name as 'default' | 'strict' }),
  };
}

/**
 * Probes a Python interpreter in one process with two clients: `default` (the library's
 * default client context, what urllib3 and botocore get) and `strict` (the lowest version
 * the library allows, every cipher at @SECLEVEL=0, verification on: what the runtime can
 * do); and a third, `urllib3` (its PoolManager's own path), where the interpreter can import it.
 */
export class PythonClient extends ScriptClient<PythonRuntime> {
  constructor(interpreter: string) {
    super(describePython(interpreter));
  }
}

/**
 * What an interpreter says of itself, from the same script in facts mode (no handshakes):
 * the build's verification. A script that could not go on says why ('no-ssl', 'too-old').
 */
export async function pythonFacts(
  interpreter: string,
  optionalModules: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ fatal?: string; detail?: string; runtime?: PythonFacts }> {
  const report = await runFacts(describePython(interpreter), { facts: { optionalModules } }, { timeoutMs: 60_000, env });
  return report.fatal !== undefined ? { fatal: report.fatal, detail: String(report.detail ?? '') } : { runtime: report.runtime as PythonFacts };
}
