import type { ProbeObservation } from '../probe/probe.js';
import { decideVerdict, type Verdict } from './verdict.js';

/** What became of one client: whether it ran, whether it decided, what its handshakes alone give. */
export interface ClientOutcome {
  client: string;
  ran: boolean;
  /** It decides the verdict in this probe-mode. */
  decides: boolean;
  /** The verdict its own handshakes give (judged as the verdict is, with it alone deciding); absent: it did not run. */
  outcome?: Verdict;
  /** A library client's version (its settings' `version`). */
  version?: string;
  /** Why it did not run (a library that does not import). */
  skipped?: string;
}

/** Every client the probe ran, with its own outcome: the report names each (a library client too). */
export function clientOutcomes(observation: ProbeObservation, deciders: readonly string[]): ClientOutcome[] {
  return observation.clients.map((c) => ({
    client: c.name,
    ran: c.ran,
    decides: deciders.includes(c.name),
    ...(c.ran
      ? {
          outcome: decideVerdict({
            floor: observation.floor,
            servers: observation.servers,
            deciders: [c.name],
            handshakes: observation.handshakes,
            serverRecords: observation.serverRecords,
          }).verdict,
        }
      : {}),
    ...(c.settings['version'] ? { version: c.settings['version'] } : {}),
    ...(c.skipped ? { skipped: c.skipped } : {}),
  }));
}
