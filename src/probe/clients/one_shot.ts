import { setTimeout as delay } from 'node:timers/promises';
import { type RunResult, runProcess } from '../../shared/process.js';
import type { Handshake, ObservedServer, ServerSide } from '../handshake.js';
import { SETTLE_MS } from '../servers.js';
import type { ClientDescription, ClientJob, ClientLimits } from './client.js';

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
