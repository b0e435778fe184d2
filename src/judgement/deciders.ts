import type { ClientDescription } from '../probe/clients/client.js';

/**
 * The clients whose handshakes decide the verdict in a probe mode. Given the clients a
 * probe ran: those of the mode (both: all), a client without a mode (a user's command)
 * always, and an optional one (urllib3) only if it ran. Without them: the built-in pair.
 * `mode`: probe-mode's values (inputs.ts maps onto them; nothing here imports the inputs).
 */
export function decidingClients(mode: 'both' | 'strict' | 'default', clients?: readonly ClientDescription[]): string[] {
  if (!clients) return mode === 'both' ? ['default', 'strict'] : [mode];
  return clients
    .filter((c) => (c.mode === undefined || mode === 'both' || c.mode === mode) && (c.ran || !c.optional))
    .map((c) => c.name);
}
