import { setTimeout as delay } from 'node:timers/promises';
import { PERMISSIVE_CIPHERS } from '../../shared/ciphers.js';
import { floodLine, type RunResult, runProcess } from '../../shared/process.js';
import type { Handshake, ObservedServer, ServerSide } from '../handshake.js';
import { SETTLE_MS } from '../servers.js';
import {
  type ClientDescription,
  type ClientJob,
  type ClientLimits,
  type ClientRun,
  ClientStartError,
  observed,
  type ProbeClient,
  type RuntimeInfo,
  type StartedClient,
} from './client.js';
import { askVersion } from './executable.js';

export interface Invocation {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** What one run of the program says about its handshake (the probe adds server and client). */
export type Judged = Omit<Handshake, 'server' | 'client' | 'ports'>;

/** A client that is one program run per handshake (curl, s_client, a user's command). */
export interface OneShotClient {
  description: Omit<ClientDescription, 'ran'>;
  invocation(server: ObservedServer, caFile: string): Invocation;
  /** `serverSaw`: what the server logged while the program ran (nothing else talked to it). */
  judge(run: RunResult, serverSaw: readonly ServerSide[]): Judged;
}

/**
 * What makes one kind of one-shot program client (curl, s_client), as a ScriptDescription makes
 * a script client: the program, how it says what it is, its two modes, one handshake's command
 * line, and how to read a run.
 */
export interface ProgramDescription {
  program: string;
  /** The arguments that make it describe itself (curl --version). */
  versionArgs: string[];
  /** What the program must be, for errors: 'a curl binary'. */
  what: string;
  /** The runtime as the report records it, from the program's self-description. */
  runtime(versionText: string): RuntimeInfo;
  /**
   * The strict mode's arguments: the lowest version it can ask for, and the option that takes a
   * cipher string (then every cipher at @SECLEVEL=0). The default mode adds none.
   */
  lowestVersion: string[];
  cipherOption: string;
  /** The arguments of one handshake with `server`; `mode`: the mode's own arguments. */
  args(server: ObservedServer, caFile: string, mode: readonly string[], limits: ClientLimits): string[];
  judge(run: RunResult, serverSaw: readonly ServerSide[]): Judged;
}

/**
 * A program probed one run per handshake, in its default and its strict mode. It is asked
 * what it is as soon as the probe starts (the question overlaps the certificates).
 */
export class ProgramClient implements ProbeClient {
  constructor(private readonly description: ProgramDescription) {}

  start(limits: ClientLimits): StartedClient {
    const d = this.description;
    const version = askVersion(d.program, d.versionArgs, d.what, limits.signal);
    version.catch(() => undefined); // awaited in run(); never an unhandled rejection
    return {
      run: async (job): Promise<ClientRun> => {
        const runtime = d.runtime(await version);
        const modes = {
          default: { settings: { ciphers: 'library default' }, args: [] },
          strict: {
            settings: { minimumVersion: d.lowestVersion.join(' '), ciphers: PERMISSIVE_CIPHERS },
            args: [...d.lowestVersion, d.cipherOption, PERMISSIVE_CIPHERS],
          },
        };
        const clients = (['default', 'strict'] as const).map(
          (name): OneShotClient => ({
            description: { name, mode: name, settings: modes[name].settings },
            invocation: (server, caFile) => ({
              command: d.program,
              args: d.args(server, caFile, modes[name].args, limits),
            }),
            judge: d.judge,
          }),
        );
        return observed({
          runtime,
          clients: clients.map((c) => ({ ...c.description, ran: true })),
          handshakes: await runOneShots(clients, job, limits),
        });
      },
    };
  }
}

/** The client class of one kind of program (new CurlClient(binary)), made from its description. */
export function programClient(describe: (binary: string) => ProgramDescription) {
  return class extends ProgramClient {
    constructor(binary: string) {
      super(describe(binary));
    }
  };
}

/**
 * Runs every client against every server, one program at a time: then whatever a server
 * logged while a program ran is that program's handshake, which tells the version and the
 * failure a program that only has an exit code cannot tell.
 */
export async function runOneShots(
  clients: readonly OneShotClient[],
  job: ClientJob,
  limits: ClientLimits,
): Promise<Handshake[]> {
  const handshakes: Handshake[] = [];
  for (const client of clients) {
    for (const server of job.servers) {
      if (limits.signal.aborted) return handshakes;
      const before = server.seen.length;
      const { command, args, env } = client.invocation(server, job.caFile);
      const run = await runProcess(command, args, {
        input: '',
        timeoutMs: limits.handshakeTimeoutMs + 2_000,
        signal: limits.signal,
        ...(env ? { env } : {}),
      });
      if (run.flooded) throw new ClientStartError(`${command} ${floodLine(run)}`);
      // The server's events and the child's exit race through the event loop: give the
      // server a moment to accept, then wait until every connection it saw has ended.
      await delay(25);
      await server.settled(SETTLE_MS);
      const saw = server.seen.slice(before);
      // The program cannot name its connections; running alone, every one the server logged is its.
      const ports = saw.map((s) => s.port);
      handshakes.push({ server: server.id, client: client.description.name, ...client.judge(run, saw), ports });
    }
  }
  return handshakes;
}

/** The last completed handshake a server saw, if any. */
export function completedOn(serverSaw: readonly ServerSide[]): ServerSide | undefined {
  return [...serverSaw].reverse().find((s) => s.completed);
}
