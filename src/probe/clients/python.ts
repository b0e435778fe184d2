import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { isResourceLimit, startProcess } from '../../process/run.js';
import { fromReported, type ReportedHandshake } from '../handshake.js';
import type { ClientLimits, ClientRun, ProbeClient, StartedClient } from './client.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./python_probe.py', import.meta.url);

interface PythonReport {
  fatal?: 'too-old' | 'no-ssl';
  detail?: string;
  runtime: {
    implementation: string;
    version: string;
    executable: string;
    opensslVersion: string;
    has: Record<string, boolean | null>;
    sslModule: string | null;
    libssl: string[] | null;
  };
  clients: Record<string, Record<string, string> & { error?: string }>;
  handshakes: ReportedHandshake[];
}

/**
 * Probes a Python interpreter in one process with two clients: `default` (the library's
 * default client context, what urllib3 and botocore get) and `strict` (the lowest version
 * the library allows at @SECLEVEL=0, verification on: what the runtime can do); and a
 * third, `urllib3` (its PoolManager's own path), where the interpreter can import it.
 */
export class PythonClient implements ProbeClient {
  constructor(private readonly interpreter: string) {}

  start(limits: ClientLimits): StartedClient {
    // Three clients, each may wait for every server; plus start-up.
    const timeoutMs = 3 * limits.serverCount * limits.handshakeTimeoutMs + 10_000;
    // -E -s: no PYTHON* variables, no user site: the interpreter as installed (both exist
    // since 2.x, so an old Python still reaches our version check). It starts now and
    // waits for its job on stdin.
    const child = startProcess(this.interpreter, ['-E', '-s', '-c', readFileSync(SCRIPT_URL, 'utf8')], {
      timeoutMs,
      signal: limits.signal,
    });
    child.done.catch(() => undefined); // handled in run(); never an unhandled rejection
    return {
      run: async (job) => {
        child.send(
          JSON.stringify({
            ca: job.caFile,
            timeout: limits.handshakeTimeoutMs / 1000,
            targets: job.servers.map((s) => ({ id: s.id, port: s.port })),
          }),
        );
        let result;
        try {
          result = await child.done;
        } catch (error) {
          if (isResourceLimit(error)) throw error;
          throw new InputError(`python-path: cannot run ${this.interpreter} (${(error as NodeJS.ErrnoException).code ?? error}); give a Python >= 3.6 interpreter.`);
        }
        if (result.timedOut) throw new Error(`the Python client did not finish within ${timeoutMs} ms and was killed`);
        return this.interpret(result.stdout, result.stderr, result.code);
      },
    };
  }

  private interpret(stdout: string, stderr: string, code: number | null): ClientRun {
    let report: PythonReport;
    try {
      report = JSON.parse(stdout) as PythonReport;
    } catch {
      const said = (stderr || stdout).trim().split('\n').slice(-1)[0] ?? '';
      throw new InputError(`python-path: ${this.interpreter} is not a usable Python >= 3.6 (exit ${code}: ${said.slice(0, 200)}).`);
    }
    if (report.fatal === 'too-old') {
      throw new InputError(`python-path: ${this.interpreter} is ${report.detail}; Python 3.6 or later is required.`);
    }
    if (report.fatal === 'no-ssl') {
      throw new InputError(`python-path: ${this.interpreter} has no ssl module (${report.detail}); it cannot speak TLS at all.`);
    }
    const { runtime } = report;
    return {
      runtime: {
        kind: 'python',
        path: this.interpreter,
        version: `${runtime.implementation} ${runtime.version}`,
        tlsLibrary: runtime.opensslVersion,
        details: {
          executable: runtime.executable,
          ...runtime.has,
          sslModule: runtime.sslModule,
          loadedLibraries: runtime.libssl ?? 'not reported on this platform',
        },
      },
      clients: Object.entries(report.clients).map(([name, settings]) => {
        const { error, ...rest } = settings;
        // urllib3 is an extra: it runs only where the interpreter can import it.
        const role = name === 'urllib3' ? { mode: 'default' as const, optional: true } : { mode: name as 'default' | 'strict' };
        return { name, settings: rest, ran: error === undefined, ...(error ? { skipped: error } : {}), ...role };
      }),
      handshakes: report.handshakes.map(fromReported),
    };
  }
}
