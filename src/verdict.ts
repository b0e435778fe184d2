import { floorVersion, meetsFloor, type Floor } from './floor.js';
import type { Handshake, ProbeServer } from './probe/handshake.js';

export const VERDICTS = ['pass', 'downgrade', 'inconclusive', 'broken'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerdictInput {
  floor: Floor;
  servers: readonly ProbeServer[];
  /** The clients whose handshakes decide the verdict (probe-mode). */
  deciders: readonly string[];
  handshakes: readonly Handshake[];
}

/** One reason behind the verdict, tied to the cell of the table it comes from. */
export interface Finding {
  verdict: Exclude<Verdict, 'pass'>;
  server: string;
  client: string;
  message: string;
}

export interface VerdictResult {
  verdict: Verdict;
  /** One sentence: why. */
  summary: string;
  findings: Finding[];
  /** What phase 1 negotiated for the first deciding client. */
  negotiatedVersion?: string;
}

// When several things went wrong, the most serious one names the verdict: proof of a
// downgrade stands whatever else failed; a runtime that cannot connect at all comes next.
const SEVERITY: Verdict[] = ['downgrade', 'broken', 'inconclusive'];

/**
 * The verdict is a pure function of the observed handshakes. A legacy handshake that
 * completes is a downgrade; a refusal counts only if it is a TLS refusal and the legacy
 * server's control handshake completed; anything else is inconclusive, never a pass.
 */
export function decideVerdict(input: VerdictInput): VerdictResult {
  const findings: Finding[] = [];
  const find = (server: string, client: string) =>
    input.handshakes.find((h) => h.server === server && h.client === client);
  const floorName = floorVersion(input.floor);

  for (const server of input.servers) {
    if (server.role === 'legacy') {
      const control = find(server.id, 'control');
      if (control?.outcome !== 'connected') {
        findings.push({
          verdict: 'inconclusive',
          server: server.id,
          client: 'control',
          message: `the control client could not complete a ${server.id} handshake with the ${server.id} server (${describe(control)}), so a refusal there proves nothing`,
        });
      }
    }
    for (const client of input.deciders) {
      const h = find(server.id, client);
      const finding = server.role === 'modern' ? judgeModern(h, floorName, input.floor) : judgeLegacy(h, server.id);
      if (finding) findings.push({ server: server.id, client, verdict: finding.verdict, message: `the ${client} client ${finding.message}` });
    }
  }

  const verdict = SEVERITY.find((v) => findings.some((f) => f.verdict === v)) ?? 'pass';
  const first = input.deciders[0];
  const negotiatedVersion = first === undefined ? undefined : find('modern', first)?.version;
  const legacyIds = input.servers.filter((s) => s.role === 'legacy').map((s) => s.id);
  const summary =
    verdict === 'pass'
      ? `Every deciding client (${input.deciders.join(', ')}) connected to the modern server at or above ${floorName} and was refused by the ${legacyIds.join(', ')} servers, each of which its control client reached.`
      : capitalize(findings.find((f) => f.verdict === verdict)!.message) + '.';
  return { verdict, summary, findings, ...(negotiatedVersion ? { negotiatedVersion } : {}) };
}

function judgeModern(h: Handshake | undefined, floorName: string, floor: Floor) {
  if (h?.outcome !== 'connected') {
    return { verdict: 'broken' as const, message: `could not connect to the modern server (${describe(h)})` };
  }
  if (!meetsFloor(h.version, floor)) {
    return { verdict: 'broken' as const, message: `negotiated ${h.version ?? 'an unknown version'} with the modern server, below the ${floorName} floor` };
  }
  return undefined;
}

function judgeLegacy(h: Handshake | undefined, serverId: string) {
  if (h?.outcome === 'connected') {
    const how = [h.version, h.cipher].filter(Boolean).join(' with ');
    return { verdict: 'downgrade' as const, message: `completed a handshake with the ${serverId}-only server${how ? ` (${how})` : ''}` };
  }
  if (h?.outcome === 'refused') return undefined;
  return {
    verdict: 'inconclusive' as const,
    message: `failed against the ${serverId} server without a TLS refusal (${describe(h)}), which is no evidence either way`,
  };
}

function describe(h: Handshake | undefined): string {
  if (!h) return 'no handshake recorded';
  return h.error ?? h.reason ?? h.outcome;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
