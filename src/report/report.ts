import type { Floor } from '../floor.js';
import type { ProbeMode } from '../inputs.js';
import type { ClientDescription, RuntimeInfo } from '../probe/clients/client.js';
import type { Handshake, ProbeServer } from '../probe/handshake.js';
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
  handshakes: Array<Handshake & { expected: 'connect' | 'refuse' }>;
  durationMs: number;
  /** Anything else the run knows (the build, the cache); added by the entry point. */
  context?: Record<string, unknown>;
  /** A built runtime's support lines: end of life, its date and source (runtime/versions.ts lifecycleOf). */
  lifecycle?: Array<{ project: string; version: string; line: string; eol: string; ended: boolean; lts: boolean; source: string }>;
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
    handshakes: observation.handshakes.map((h) => ({
      ...h,
      expected: h.client === 'control' || roleOf.get(h.server) === 'modern' ? 'connect' : 'refuse',
    })),
    durationMs: observation.durationMs,
  };
}
