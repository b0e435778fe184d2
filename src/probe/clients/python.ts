import { readFileSync } from 'node:fs';
import { clip, Refusal } from '../../shared/errors.js';
import { PYTHON_LIBRARIES, type PythonLibrary } from '../../shared/libraries.js';
import { howItEnded } from '../../shared/process.js';
import { type PythonRuntime, pythonFactsScript } from '../../shared/python_facts.js';
import { type ClientLimits, type ClientRun, ClientStartError, type ProbeClient, type StartedClient } from './client.js';
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

/**
 * The interpreter's run: the built-in and library clients, or (`options.context`) the app
 * client alone, in a process of its own.
 */
function describePython(interpreter: string, options: PythonProbeOptions): ScriptDescription<PythonRuntime> {
  const context = options.context;
  const libraries = context ? [] : (options.libraries ?? PYTHON_LIBRARIES);
  const config = {
    libraries,
    importPath: options.importPath ?? [],
    ...(context ? { context, workspace: options.workspace ?? '' } : {}),
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
    clientCount: context ? 1 : 2 + libraries.length,
    what: 'Python >= 3.6',
    advice: 'give a Python >= 3.6 interpreter.',
    fatal: (kind, detail) => {
      // The user's callable failed (import error, wrong return type, raised): a refusal of what
      // the context names, not a fault of the interpreter.
      if (kind === 'python-context') return new Refusal('app-context', `${clip(detail, 300)}.`);
      return kind === 'too-old'
        ? new ClientStartError(`${interpreter} is ${clip(detail, 100)}`, 'Python 3.6 or later is required.')
        : new ClientStartError(
            `${interpreter} has no ssl module (${clip(detail, 200)})`,
            'it cannot speak TLS at all.',
          );
    },
    // The process that ran the user's callable and died without a report: the callable's doing
    // (the same interpreter's built-in run, in its own process, says whether it works at all).
    ...(context
      ? {
          broken: (result, said) =>
            new Refusal(
              'app-context',
              `${clip(context, 100)}: the interpreter running it ended without a report (${howItEnded(result)}${said ? `: ${clip(said, 200)}` : ''}).`,
            ),
        }
      : {}),
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
 * (urllib3, requests, httpx, aiohttp, botocore, awscrt: each its own default path) where it imports.
 * `app`, the application's own configuration, when a context callable is given, runs in a
 * second process at the same time: the user's module is imported there only, so nothing it
 * does at import (patching ssl) can change the built-in clients' evidence.
 */
export class PythonClient implements ProbeClient {
  private readonly builtIn: ScriptClient<PythonRuntime>;
  private readonly app: ScriptClient<PythonRuntime> | undefined;

  constructor(interpreter: string, options: PythonProbeOptions = {}) {
    const { context, ...rest } = options;
    this.builtIn = new ScriptClient(describePython(interpreter, rest));
    this.app = context ? new ScriptClient(describePython(interpreter, { ...rest, context })) : undefined;
  }

  start(limits: ClientLimits): StartedClient {
    const builtIn = this.builtIn.start(limits);
    const app = this.app?.start(limits);
    return {
      run: async (job): Promise<ClientRun> => {
        const appRun = app?.run(job);
        appRun?.catch(() => undefined); // awaited below, after the built-in run says whether the interpreter works
        const run = await builtIn.run(job);
        if (!appRun) return run;
        const own = await appRun;
        return {
          ...run,
          clients: [...run.clients, ...own.clients],
          handshakes: [...run.handshakes, ...own.handshakes],
        };
      },
    };
  }
}
