import { readFileSync } from 'node:fs';
import { clip, Refusal } from '../../shared/errors.js';
import { PYTHON_LIBRARIES, type PythonLibrary } from '../../shared/libraries.js';
import { type PythonRuntime, pythonFactsScript } from '../../shared/python_facts.js';
import { ClientStartError } from './client.js';
import { ScriptClient, type ScriptDescription } from './script_client.js';

// ncc copies the scripts into dist/ and rewrites these URLs; in src/ they sit beside this file.
const SCRIPT_URL = new URL('./python_probe.py', import.meta.url);
const LIBRARIES_URL = new URL('./python_libraries.py', import.meta.url);
const AWSCRT_URL = new URL('./python_awscrt.py', import.meta.url);

/** The client that connects through the application's own configuration (python-context). */
export const APP_CLIENT = 'app';

/** What the Python client probes beside its built-in `default` and `strict`. */
export interface PythonProbeOptions {
  /** The library clients to run where they import (default: all of them). */
  libraries?: readonly PythonLibrary[];
  /** `module:callable` returning the application's TLS configuration: client `app`. */
  context?: string;
  /** Folders the libraries and the context's module are imported from first (PYTHONPATH, which -E leaves out). */
  importPath?: readonly string[];
  /** Where the context's module is looked for after the interpreter's path (the workspace). */
  workspace?: string;
}

/** The environment variable that carries the options to the script (python_libraries.py). */
const CONFIG_VARIABLE = 'TLS_FLOOR_PYTHON_PROBE';

function describePython(interpreter: string, options: PythonProbeOptions): ScriptDescription<PythonRuntime> {
  const libraries = options.libraries ?? PYTHON_LIBRARIES;
  const config = {
    libraries,
    importPath: options.importPath ?? [],
    ...(options.context ? { context: options.context, workspace: options.workspace ?? '' } : {}),
  };
  return {
    name: 'the Python client',
    program: interpreter,
    // -E -s: no PYTHON* variables, no user site: the interpreter as installed (both exist
    // since 2.x, so an old Python still reaches the script's version check).
    args: (script) => ['-E', '-s', '-c', script],
    env: { ...process.env, [CONFIG_VARIABLE]: JSON.stringify(config) },
    // What the interpreter is (runtime_info), the library and app clients (awscrt's apart), then the probe: one -c script.
    script: () =>
      [pythonFactsScript(), ...[AWSCRT_URL, LIBRARIES_URL, SCRIPT_URL].map((url) => readFileSync(url, 'utf8'))].join(
        '\n',
      ),
    clientCount: 2 + libraries.length + (options.context ? 1 : 0),
    what: 'Python >= 3.6',
    advice: 'give a Python >= 3.6 interpreter.',
    fatal: (kind, detail) => {
      // The user's callable failed (import error, wrong return type, raised): a refusal of what
      // the context names, not a fault of the interpreter.
      if (kind === 'python-context') return new Refusal('app-context', `${clip(detail, 300)}.`);
      return kind === 'too-old'
        ? new ClientStartError(`${interpreter} is ${detail}`, 'Python 3.6 or later is required.')
        : new ClientStartError(`${interpreter} has no ssl module (${detail})`, 'it cannot speak TLS at all.');
    },
    runtime: (runtime) => ({
      kind: 'python',
      path: interpreter,
      version: `${runtime.implementation} ${runtime.version}${runtime.freeThreaded ? ' (free-threaded)' : ''}`,
      tlsLibrary: runtime.opensslVersion,
      details: {
        executable: runtime.executable,
        ...runtime.has,
        sslModule: runtime.sslModule,
        loadedLibraries: runtime.libssl ?? 'not reported on this platform',
        fips: runtime.fips ?? null,
        ...(runtime.freeThreaded ? { freeThreaded: true, gilEnabled: runtime.gilEnabled } : {}),
      },
    }),
    // The library clients are extras: they decide (beside default) only where they imported.
    // The app client is the user's own configuration: it decides in every mode.
    role: (name) => {
      if (name === APP_CLIENT) return {};
      if ((PYTHON_LIBRARIES as readonly string[]).includes(name)) return { mode: 'default', optional: true };
      return { mode: name as 'default' | 'strict' };
    },
  };
}

/**
 * Probes a Python interpreter in one process with two clients, `default` (the library's
 * default client context) and `strict` (the lowest version the library allows, every cipher
 * at @SECLEVEL=0, verification on: what the runtime can do); with a client per HTTP library
 * (urllib3, requests, httpx, aiohttp, botocore, awscrt: each its own default path) where it imports;
 * and `app`, the application's own configuration, when a context callable is given.
 */
export class PythonClient extends ScriptClient<PythonRuntime> {
  constructor(interpreter: string, options: PythonProbeOptions = {}) {
    super(describePython(interpreter, options));
  }
}
