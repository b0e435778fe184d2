import { PERMISSIVE_CIPHERS } from '../../shared/ciphers.js';
import { clip } from '../../shared/errors.js';
import { floodLine, isResourceLimit, type RunResult, startProcess } from '../../shared/process.js';
import type { Handshake, Outcome } from '../handshake.js';
import {
  type ClientDescription,
  type ClientLimits,
  type ClientRun,
  ClientStartError,
  observed,
  type ProbeClient,
  type RuntimeInfo,
  type StartedClient,
} from './client.js';
import { classifyTlsText, tail } from './tls_errors.js';

/**
 * The one job a script client (python_probe.py, node_probe.cjs) reads on its standard input:
 * connect to each target with each of its clients.
 */
export interface ScriptJob {
  caFile: string;
  /** Per handshake. */
  timeoutMs: number;
  /** The `strict` client's cipher string. */
  strictCiphers: string;
  targets: Array<{ id: string; port: number }>;
}

/** The one result a script client writes on its standard output, as one JSON document. */
export interface ScriptReport<R> {
  /** The script could not go on ('too-old', 'no-ssl'); `detail` says what it saw. Nothing else is set. */
  fatal?: string;
  detail?: string;
  /** What the runtime says of itself (kind-specific). */
  runtime: R;
  /** Each client the script has, with its settings; `error`: why it did not run. */
  clients: Record<string, Record<string, string> & { error?: string }>;
  handshakes: ReportedHandshake[];
}

/**
 * A handshake as a script reports it (nulls for what it does not know). 'tls': an error the
 * action judges from its reason or text (classifyTlsText), by the one list every client shares;
 * the scripts keep no list of their own.
 */
export interface ReportedHandshake {
  server: string;
  client: string;
  outcome: Outcome | 'tls';
  version?: string | null;
  cipher?: string | null;
  reason?: string | null;
  error?: string | null;
  ports?: number[] | null;
}

const OUTCOMES: ReadonlySet<string> = new Set<Outcome | 'tls'>([
  'connected',
  'refused',
  'certificate',
  'network',
  'timeout',
  'error',
  'tls',
]);

/** What makes one kind of script client: its interpreter, its script, how to read its report. */
export interface ScriptDescription<R> {
  /** For messages: 'the Python client'. */
  name: string;
  /** The interpreter under test. */
  program: string;
  /** The interpreter's arguments to run `script`, given as text. */
  args(script: string): string[];
  /** Its environment (default: the action's). */
  env?: NodeJS.ProcessEnv;
  /** The script's text. */
  script(): string;
  /** The clients it runs, each of which may wait for every server: for its overall timeout. */
  clientCount: number;
  /** What the program must be, for errors: 'Python >= 3.6', 'node binary'. */
  what: string;
  /** What to give instead when it cannot be run ('give the path to a node binary.'). */
  advice: string;
  /** The error for a run that wrote no report (`said`: its last words); default: the program is not a usable `what`. */
  broken?(result: RunResult, said: string): Error;
  /** The error for a report that says the script could not go on (a ClientStartError where the program is at fault). */
  fatal(kind: string, detail: string): Error;
  /** The runtime as the report records it. */
  runtime(reported: R): RuntimeInfo;
  /** The probe mode a client decides in, and whether it is an extra that decides only when it ran. */
  role(name: string): Pick<ClientDescription, 'mode' | 'optional'>;
  /**
   * What to run instead of `program` with `args(script)`, made first (a program compiled once and
   * cached: go.ts, java.ts); its failure is the client's failure to start.
   */
  prepare?(signal: AbortSignal): Promise<Launch>;
}

/** A prepared program and its arguments. */
export interface Launch {
  program: string;
  args: string[];
}

/**
 * A runtime probed by a script it runs in one process: the interpreter starts as soon as the
 * probe does (its start-up overlaps the certificates) and waits for its job on stdin.
 */
export class ScriptClient<R> implements ProbeClient {
  private launched: Promise<Launch> | undefined;

  constructor(private readonly description: ScriptDescription<R>) {}

  /** The prepared program (built once per client: a failed build is tried again). */
  private launch(signal: AbortSignal): Promise<Launch> {
    const d = this.description;
    if (!d.prepare) return Promise.resolve({ program: d.program, args: d.args(d.script()) });
    this.launched ??= d.prepare(signal).catch((error: unknown) => {
      this.launched = undefined;
      throw error;
    });
    return this.launched;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    await this.launch(signal);
  }

  start(limits: ClientLimits): StartedClient {
    const d = this.description;
    const timeoutMs = d.clientCount * limits.serverCount * limits.handshakeTimeoutMs + 10_000;
    const started = this.launch(limits.signal).then((launched) =>
      startProcess(launched.program, launched.args, {
        timeoutMs,
        signal: limits.signal,
        ...(d.env ? { env: d.env } : {}),
      }),
    );
    // Handled in run(); never an unhandled rejection.
    started.then((child) => child.done.catch(() => undefined)).catch(() => undefined);
    return {
      run: async (job): Promise<ClientRun> => {
        const child = await started;
        const sent: ScriptJob = {
          caFile: job.caFile,
          timeoutMs: limits.handshakeTimeoutMs,
          strictCiphers: PERMISSIVE_CIPHERS,
          targets: job.servers.map((s) => ({ id: s.id, port: s.port })),
        };
        child.send(JSON.stringify(sent));
        const report = readReport(d, await finished(d, child.done), timeoutMs);
        return observed(interpret(d, report));
      },
    };
  }
}

async function finished<R>(d: ScriptDescription<R>, done: Promise<RunResult>): Promise<RunResult> {
  try {
    return await done;
  } catch (error) {
    if (isResourceLimit(error)) throw error;
    throw new ClientStartError(`cannot run ${d.program} (${(error as NodeJS.ErrnoException).code ?? error})`, d.advice);
  }
}

/** The report the script wrote, parsed; the script's failures as errors. */
function readReport<R>(d: ScriptDescription<R>, result: RunResult, timeoutMs: number): ScriptReport<R> {
  if (result.timedOut) throw new Error(`${d.name} did not finish within ${timeoutMs} ms and was killed`);
  if (result.flooded) throw new ClientStartError(`${d.program} ${floodLine(result)}`, d.advice);
  let doc: unknown;
  try {
    doc = JSON.parse(result.stdout);
  } catch {
    const said = clip(tail(result.stderr || result.stdout, 1), 200);
    if (d.broken) throw d.broken(result, said);
    throw new ClientStartError(
      `${d.program} is not a usable ${d.what} (exit ${result.code ?? result.signal}: ${said})`,
    );
  }
  if (!isObject(doc)) throw unusable(d, 'is not a JSON object');
  if (doc['fatal'] !== undefined && typeof doc['fatal'] !== 'string')
    throw unusable(d, 'has a fatal that is not a string');
  return doc as unknown as ScriptReport<R>;
}

/** A complete report → what the probe records; a report that breaks the format is an error. */
function interpret<R>(d: ScriptDescription<R>, report: ScriptReport<R>): ClientRun {
  if (report.fatal !== undefined) throw d.fatal(report.fatal, String(report.detail ?? ''));
  const problem = formatProblem(report);
  if (problem) throw unusable(d, problem);
  return {
    runtime: d.runtime(report.runtime),
    clients: Object.entries(report.clients).map(([name, settings]) => {
      const { error, ...rest } = settings;
      return {
        name,
        settings: rest,
        ran: error === undefined,
        ...(error !== undefined ? { skipped: String(error) } : {}),
        ...d.role(name),
      };
    }),
    handshakes: report.handshakes.map(fromReported),
  };
}

/** What in a report breaks the result format; undefined: nothing. */
function formatProblem(report: ScriptReport<unknown>): string | undefined {
  if (!isObject(report.runtime)) return 'has no runtime';
  if (!isObject(report.clients) || !Object.values(report.clients).every(isObject)) return 'has no clients';
  if (!Array.isArray(report.handshakes)) return 'has no handshakes';
  const index = report.handshakes.findIndex(
    (h: unknown) =>
      !isObject(h) ||
      typeof h['server'] !== 'string' ||
      typeof h['client'] !== 'string' ||
      !OUTCOMES.has(String(h['outcome'])),
  );
  if (index >= 0) return `has a handshake (#${index + 1}) without a server, a client and a known outcome`;
  return undefined;
}

function unusable(d: ScriptDescription<unknown>, problem: string): ClientStartError {
  return new ClientStartError(`${d.program} is not a usable ${d.what} (its report ${problem})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Drops the nulls a script reports, so the report holds only what is known, and judges an
 * error the script left to the action ('tls') by the list every client shares.
 */
export function fromReported(h: ReportedHandshake): Handshake {
  return {
    server: h.server,
    client: h.client,
    outcome: h.outcome === 'tls' ? classifyTlsText(h.reason ?? h.error ?? '').outcome : h.outcome,
    ...(h.version ? { version: h.version } : {}),
    ...(h.cipher ? { cipher: h.cipher } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
    ...(h.error ? { error: h.error } : {}),
    ...(Array.isArray(h.ports) ? { ports: h.ports.filter(isPort) } : {}),
  };
}

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536;
}
