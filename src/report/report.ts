import type { Floor } from '../floor.js';
import type { ProbeMode } from '../inputs.js';
import type { ClientDescription, RuntimeInfo } from '../probe/clients/client.js';
import type { CorroboratedHandshake } from '../corroboration.js';
import type { ProbeServer, ServerRecord } from '../probe/handshake.js';
import type { ProbeObservation } from '../probe/probe.js';
import type { Finding, Verdict, VerdictResult } from '../verdict.js';

export const REPORT_FORMAT = 1;

/** The JSON report an auditor keeps; the log table and the job summary are views of it. */
export interface Report {
  format: typeof REPORT_FORMAT;
  tool: 'tls-floor';
  createdAt: string;
  floor: Floor;
  probeMode: ProbeMode;
  deciders: string[];
  verdict: Verdict;
  summary: string;
  negotiatedVersion?: string;
  findings: Finding[];
  runtime: RuntimeInfo;
  clients: ClientDescription[];
  servers: ProbeServer[];
  /** Every handshake with both sides (the client's report, the server's records) and what counted. */
  handshakes: Array<CorroboratedHandshake & { expected: 'connect' | 'refuse' }>;
  /** Connections a server saw that no client reported. */
  unclaimed: ServerRecord[];
  durationMs: number;
  /** Anything else the run knows (the build, the cache); added by the entry point. */
  context?: Record<string, unknown>;
}

export function buildReport(
  observation: ProbeObservation,
  result: VerdictResult,
  probeMode: ProbeMode,
  deciders: string[],
  now: Date = new Date(),
): Report {
  const roleOf = new Map(observation.servers.map((s) => [s.id, s.role]));
  return {
    format: REPORT_FORMAT,
    tool: 'tls-floor',
    createdAt: now.toISOString(),
    floor: observation.floor,
    probeMode,
    deciders,
    verdict: result.verdict,
    summary: result.summary,
    ...(result.negotiatedVersion ? { negotiatedVersion: result.negotiatedVersion } : {}),
    findings: result.findings,
    runtime: observation.runtime,
    clients: observation.clients,
    servers: observation.servers,
    handshakes: result.handshakes.map((h) => ({
      ...h,
      expected: h.client === 'control' || roleOf.get(h.server) === 'modern' ? 'connect' : 'refuse',
    })),
    unclaimed: result.unclaimed,
    durationMs: observation.durationMs,
  };
}
