import { readFileSync } from 'node:fs';
import { type PythonRuntime, pythonFactsScript } from '../../shared/python_facts.js';
import { ClientStartError } from './client.js';
import { ScriptClient, type ScriptDescription } from './script_client.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./python_probe.py', import.meta.url);

function describePython(interpreter: string): ScriptDescription<PythonRuntime> {
  return {
    name: 'the Python client',
    program: interpreter,
    // -E -s: no PYTHON* variables, no user site: the interpreter as installed (both exist
    // since 2.x, so an old Python still reaches the script's version check).
    args: (script) => ['-E', '-s', '-c', script],
    // What the interpreter is (runtime_info), then the clients: one -c script.
    script: () => `${pythonFactsScript()}\n${readFileSync(SCRIPT_URL, 'utf8')}`,
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
