import type { Handshake, ProbeServer, ServerRecord } from '../probe/handshake.js';
import { type Floor, floorVersion, meetsFloor } from '../shared/floor.js';
import { type CorroboratedHandshake, corroborate } from './corroboration.js';

export const VERDICTS = ['pass', 'downgrade', 'inconclusive', 'broken'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerdictInput {
  floor: Floor;
  servers: readonly ProbeServer[];
  /** The clients whose handshakes decide the verdict (probe-mode). */
  deciders: readonly string[];
  /** Every handshake as its client reported it. */
  handshakes: readonly Handshake[];
  /** Every connection as the servers saw it: what corroborates the clients' reports. */
  serverRecords: readonly ServerRecord[];
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
  /** What phase 1 negotiated for the first deciding client (as the modern server saw it). */
  negotiatedVersion?: string;
  /** Every handshake with both sides: what the client said, what the server saw, what counted. */
  handshakes: CorroboratedHandshake[];
  /** Connections a server saw that no client reported. */
  unclaimed: ServerRecord[];
}

// When several things went wrong, the most serious one names the verdict: proof of a
// downgrade stands whatever else failed; a runtime that cannot connect at all comes next.
// Every finding is reported, whatever names the verdict.
const SEVERITY: Verdict[] = ['downgrade', 'broken', 'inconclusive'];

/**
 * The verdict is a pure function of what the probe observed. Each client's handshake counts
 * only as far as the server's own record of that connection backs it (corroborate): a legacy
 * handshake the server completed is a downgrade, whatever the client said; a refusal counts
 * only if the server read that client's ClientHello, refused it before sending its ServerHello,
 * and the legacy server's control handshake completed; a failure after the server's below-floor
 * ServerHello is no refusal of the version; anything else is inconclusive, never a pass. No deciding client, or a deciding
 * client without a handshake against some server, is inconclusive.
 */
export function decideVerdict(input: VerdictInput): VerdictResult {
  const findings: Finding[] = [];
  const { handshakes, unclaimed } = corroborate(input.handshakes, input.serverRecords);
  const find = (server: string, client: string) => handshakes.find((h) => h.server === server && h.client === client);
  const floorName = floorVersion(input.floor);

  if (input.deciders.length === 0) {
    findings.push({
      verdict: 'inconclusive',
      server: '',
      client: '',
      message: 'no client of the runtime decided (none was reported), so nothing was proven',
    });
  }
  for (const server of input.servers) {
    // A policy server decides only the policies' rules (src/policies), never this verdict.
    if (server.role === 'policy') continue;
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
      // A legacy handshake no client reported: some client's report does not account for it.
      for (const r of unclaimed.filter((u) => u.server === server.id && u.completed)) {
        findings.push({
          verdict: 'inconclusive',
          server: server.id,
          client: 'unreported',
          message: `the ${server.id} server completed a ${r.version ?? 'TLS'} handshake (client port ${r.port}) that no client reported, so the clients' reports do not account for what the runtime did`,
        });
      }
    }
    for (const client of input.deciders) {
      const h = find(server.id, client);
      const finding = server.role === 'modern' ? judgeModern(h, floorName, input.floor) : judgeLegacy(h, server.id);
      if (finding)
        findings.push({
          server: server.id,
          client,
          verdict: finding.verdict,
          message: `the ${client} client ${finding.message}`,
        });
    }
  }

  const verdict = SEVERITY.find((v) => findings.some((f) => f.verdict === v)) ?? 'pass';
  const first = input.deciders[0];
  const firstModern = first === undefined ? undefined : find('modern', first);
  const negotiatedVersion = firstModern?.outcome === 'connected' ? firstModern.version : undefined;
  const legacyIds = input.servers.filter((s) => s.role === 'legacy').map((s) => s.id);
  const summary =
    verdict === 'pass'
      ? `Every deciding client (${input.deciders.join(', ')}) connected to the modern server at or above ${floorName} and was refused by the ${legacyIds.join(', ')} servers, each of which its control client reached; the servers' own records confirm every handshake.`
      : `${capitalize(findings.find((f) => f.verdict === verdict)!.message)}.`;
  return { verdict, summary, findings, ...(negotiatedVersion ? { negotiatedVersion } : {}), handshakes, unclaimed };
}

/** The kinds of finding, most serious first (the first names the verdict). */
export function findingKinds(findings: readonly Finding[]): Array<Finding['verdict']> {
  return SEVERITY.filter((v): v is Finding['verdict'] => findings.some((f) => f.verdict === v));
}

function judgeModern(h: CorroboratedHandshake | undefined, floorName: string, floor: Floor) {
  if (!h)
    return {
      verdict: 'inconclusive' as const,
      message: 'has no handshake with the modern server, which is no evidence either way',
    };
  // A connection the client claims and the server has no record of is no evidence; a
  // refusal it claims, with no handshake the server saw complete, is still no connection.
  if (h.outcome === 'unconfirmed' && h.clientSaid.outcome === 'connected') {
    return {
      verdict: 'inconclusive' as const,
      message: `has no corroborated handshake with the modern server (${describe(h)})`,
    };
  }
  if (h.outcome !== 'connected') {
    return { verdict: 'broken' as const, message: `could not connect to the modern server (${describe(h)})` };
  }
  if (!meetsFloor(h.version, floor)) {
    return {
      verdict: 'broken' as const,
      message: `negotiated ${h.version ?? 'an unknown version'} with the modern server, below the ${floorName} floor`,
    };
  }
  return undefined;
}

function judgeLegacy(h: CorroboratedHandshake | undefined, serverId: string) {
  if (!h)
    return {
      verdict: 'inconclusive' as const,
      message: `has no handshake with the ${serverId} server, which is no evidence either way`,
    };
  if (h.outcome === 'connected') {
    const suite = [h.cipher, h.family].filter(Boolean).join(', ');
    const how = [h.version, suite].filter(Boolean).join(' with ');
    const hidden = h.agreement === 'contradicted' ? `; ${h.note}` : '';
    return {
      verdict: 'downgrade' as const,
      message: `completed a handshake with the ${serverId}-only server${how ? ` (${how})` : ''}${hidden}`,
    };
  }
  // The client accepted the version's ServerHello and failed later: it did not refuse the version.
  if (h.outcome === 'refused' && h.refusal === 'after-server-hello') {
    return {
      verdict: 'inconclusive' as const,
      message:
        `accepted the ${serverId}-only server's ${h.serverHello} ServerHello and then failed (${describe(h)}): ` +
        `that is no refusal of ${serverId}, and no ${serverId} handshake completed to show it a downgrade`,
    };
  }
  if (h.outcome === 'refused') return undefined;
  if (h.outcome === 'unconfirmed') {
    return {
      verdict: 'inconclusive' as const,
      message: `has no corroborated handshake with the ${serverId} server (${describe(h)})`,
    };
  }
  return {
    verdict: 'inconclusive' as const,
    message: `failed against the ${serverId} server without a corroborated TLS refusal (${describe(h)}), which is no evidence either way`,
  };
}

function describe(h: CorroboratedHandshake | undefined): string {
  if (!h) return 'no handshake recorded';
  return h.note ?? h.error ?? h.reason ?? h.outcome;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
