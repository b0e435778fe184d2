import { type KeyPair, type RunCertificates, runRsaKey } from './certs.js';
import { type ControlSpec, isServerKind, type SERVERS, type ServerKind, serverKind } from './server_kinds.js';
import { listen, type RunningServer } from './servers.js';

/**
 * The servers the policies add to the version floor's: each serves one thing (a weakness a
 * sound client refuses, or a profile it must reach), declared with its control in server_kinds.ts.
 */

export type PolicyServerKind = {
  [K in ServerKind]: (typeof SERVERS)[K] extends { serve: unknown } ? K : never;
}[ServerKind];

export const isPolicyServerKind = (kind: string): kind is PolicyServerKind =>
  isServerKind(kind) && serverKind(kind).serve !== undefined;

export type StartedPolicyServer =
  | { server: RunningServer; control: ControlSpec }
  /** The TLS library of this runner cannot serve it (e.g. hybrid ML-KEM groups on OpenSSL 3.0). */
  | { unavailable: { id: string; reason: string } };

/** Starts one policy server; a server the TLS library refuses to configure is unavailable, not an error. */
export async function startPolicyServer(
  certs: RunCertificates,
  kind: PolicyServerKind,
  /** The run's RSA key (runRsaKey()), for the static-RSA server. */
  rsa: Promise<KeyPair> = runRsaKey(),
  now: Date = new Date(),
): Promise<StartedPolicyServer> {
  const spec = serverKind(kind);
  let server: RunningServer;
  try {
    const options = spec.serve!(certs, now, await rsa);
    const refusedBy = spec.refusedBy ? { refusedBy: spec.refusedBy } : {};
    server = await listen(kind, 'policy', spec.versions, options, { expect: spec.expect, ...refusedBy });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const reason =
      `${process.release.name} ${process.versions.node} with OpenSSL ${process.versions.openssl} ` +
      `cannot start it (${e.code ?? e.message})`;
    return { unavailable: { id: kind, reason } };
  }
  return { server, control: spec.control ?? { connect: {} } };
}
