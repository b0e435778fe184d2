import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { tempRoot, workFolder } from '../shared/cancellation.js';
import { type Floor, versionsBelow } from '../shared/floor.js';
import { type CertificateFacts, certificateFacts, makeRunCertificates, runRsaKey } from './certs.js';
import type { ClientDescription, ProbeClient, RuntimeInfo } from './clients/client.js';
import { controlHandshake } from './control.js';
import type { Handshake, ProbeServer, ServerRecord } from './handshake.js';
import { isPolicyServerKind, startPolicyServer } from './policy_servers.js';
import type { ControlSpec } from './server_kinds.js';
import { legacyIdentities, type RunningServer, SETTLE_MS, startLegacyServer, startModernServer } from './servers.js';

export interface ProbeOptions {
  floor: Floor;
  /** Per handshake. */
  handshakeTimeoutMs: number;
  /** For the whole probe. */
  probeTimeoutMs: number;
  /** Where the run's CA file goes; default: tempRoot() (RUNNER_TEMP in Actions). */
  tempDir?: string;
  /**
   * The legacy servers' cipher string. Only tests change it: the recipe's server (the
   * library's defaults) is the one whose control handshake fails.
   */
  legacyCiphers?: string;
  /**
   * The policy servers to start beside the floor's (server kinds the chosen policies name:
   * 'TLSv1.3', 'null-only', 'cert-expired', ...); a version the floor's legacy servers already
   * pin is not started twice. None: exactly the floor's servers.
   */
  policyServers?: readonly string[];
}

/** Everything the probe saw: the input of the verdict and of the report. */
export interface ProbeObservation {
  floor: Floor;
  servers: ProbeServer[];
  runtime: RuntimeInfo;
  clients: ClientDescription[];
  /** Controls first, then the runtime's clients: each as the client reported it. */
  handshakes: Handshake[];
  /** Every connection each server saw, in order: the servers' side, to corroborate the clients'. */
  serverRecords: ServerRecord[];
  /** Policy servers this runner's TLS library could not start: not testable here, never a pass. */
  unavailable: { id: string; reason: string }[];
  /** The run's CA and server certificate, as an inventory lists them. */
  certificates?: CertificateFacts[];
  durationMs: number;
}

/**
 * The servers: a modern one (phase 1: the client must connect at or above the floor), one legacy
 * server per version below the floor (phase 2: it must be refused), and the policy servers the
 * chosen policies name (one a runner's TLS library cannot start is listed as unavailable). Every
 * server but the modern one is first proven reachable by a control handshake; then the client
 * meets them all in one session. The probe knows nothing of how the runtime was made and decides
 * nothing: it reports what the clients and the servers saw.
 */
export async function runProbe(client: ProbeClient, options: ProbeOptions): Promise<ProbeObservation> {
  const started = performance.now();
  const folder = await workFolder(options.tempDir ?? tempRoot(), 'tls-floor-probe-');
  const dir = folder.path;
  const servers: RunningServer[] = [];
  // Every server that started, in whatever order: what the end closes, even if another failed to start.
  const opened: RunningServer[] = [];
  const opening = <T extends RunningServer>(start: Promise<T>) =>
    start.then((server) => {
      opened.push(server);
      return server;
    });
  const abort = new AbortController();
  try {
    const legacyVersions = versionsBelow(options.floor);
    const policyKinds = [...new Set(options.policyServers ?? [])]
      .filter(isPolicyServerKind)
      .filter((kind) => !(legacyVersions as string[]).includes(kind));
    // The RSA key first (once per process, off the event loop): it overlaps the client's start-up.
    const rsa = runRsaKey();
    const session = client.start({
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      serverCount: 1 + legacyVersions.length + policyKinds.length,
      signal: abort.signal,
    });
    const certs = makeRunCertificates();
    const caFile = path.join(dir, 'ca.pem');
    // Only the CA certificate touches the disk; the server keys stay in memory.
    await writeFile(caFile, certs.caPem, { mode: 0o600 });
    // Every server at once (each only listens on its port); the legacy ones once the RSA key is there.
    const legacyServers = rsa.then((key) => {
      const identities = legacyIdentities(certs, key);
      return Promise.all(legacyVersions.map((v) => opening(startLegacyServer(identities, v, options.legacyCiphers))));
    });
    const [modern, legacy, policy] = await Promise.all([
      opening(startModernServer(certs)),
      legacyServers,
      Promise.all(
        policyKinds.map((kind) =>
          startPolicyServer(certs, kind, rsa).then((started) => {
            if ('server' in started) opened.push(started.server);
            return started;
          }),
        ),
      ),
    ]);
    servers.push(modern, ...legacy);
    const controlSpecs = new Map<string, ControlSpec>();
    const unavailable: ProbeObservation['unavailable'] = [];
    for (const started of policy) {
      if ('unavailable' in started) {
        unavailable.push(started.unavailable);
        continue;
      }
      servers.push(started.server);
      controlSpecs.set(started.server.id, started.control);
    }
    const controlled = servers.filter((s) => s.role !== 'modern');
    const control = (s: RunningServer) =>
      controlHandshake(s, certs.caPem, options.handshakeTimeoutMs, controlSpecs.get(s.id));
    // Controls first (a few ms): then every connection a server sees is the runtime's.
    const work = Promise.all(controlled.map(control)).then(
      async (controls) => [controls, await session.run({ servers, caFile })] as const,
    );
    const [controls, run] = await withTimeout(work, options.probeTimeoutMs);
    // The clients' last connections may still be ending on the servers' side.
    await delay(25);
    await Promise.all(servers.map((s) => s.settled(SETTLE_MS)));
    return {
      floor: options.floor,
      servers: servers.map(({ id, role, versions, port, expect, refusedBy }) => ({
        id,
        role,
        versions,
        port,
        ...(expect ? { expect } : {}),
        ...(refusedBy ? { refusedBy } : {}),
      })),
      runtime: run.runtime,
      clients: run.clients,
      handshakes: [...controls, ...run.handshakes],
      serverRecords: servers.flatMap((s) => s.seen.map((side) => ({ server: s.id, ...side }))),
      unavailable,
      certificates: [certificateFacts('ca', certs.caPem), certificateFacts('server', certs.certPem)],
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    abort.abort();
    await Promise.all(opened.map((s) => s.close()));
    await folder.remove();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the probe did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
