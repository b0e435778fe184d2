import type { Report } from './report.js';

/**
 * The run's TLS posture: what each client offered and what each server made of it, in a stable,
 * reviewable form (the `baseline` file). Sorted, one section per client, nothing that changes
 * from run to run of the same runtime: no ports, times, paths, GREASE values (the ClientHello
 * parser removes them) or error texts. Two runs of the same runtime give the same bytes.
 */
export const POSTURE_FORMAT = 1;

export interface ClientPosture {
  /** Everything the client offered over all its connections, each list sorted. */
  offered: {
    versions: string[];
    suites: string[];
    groups: string[];
    keyShares: string[];
    signatureAlgorithms: string[];
  };
  /** Each server the client met: `connected <version> <suite>`, `refused`, `not run`... */
  servers: Record<string, string>;
}

export interface Posture {
  format: typeof POSTURE_FORMAT;
  tool: 'tls-floor-posture';
  floor: string;
  runtime: { kind: string; version: string; tlsLibrary: string };
  clients: Record<string, ClientPosture>;
}

const sortedUnique = (items: Iterable<string>) => [...new Set(items)].sort();

/** How a handshake ended, as the posture keeps it (the outcome, and the version and suite of a connection). */
function outcomeOf(h: Report['handshakes'][number]): string {
  if (h.outcome === 'connected') return ['connected', h.version, h.cipher].filter(Boolean).join(' ');
  return String(h.outcome);
}

/** The posture of a run, from its report. */
export function postureOf(report: Report): Posture {
  const clients: Record<string, ClientPosture> = {};
  const names = sortedUnique(report.clients.filter((c) => c.ran).map((c) => c.name));
  for (const name of names) {
    const hellos = (report.clientHelloFacts[name] ?? []).map((x) => x.facts);
    const all = (pick: (f: (typeof hellos)[number]) => readonly string[] | undefined) =>
      sortedUnique(hellos.flatMap((f) => pick(f) ?? []));
    const servers: Record<string, string> = {};
    for (const h of report.handshakes.filter((x) => x.client === name).sort((a, b) => cmp(a.server, b.server)))
      servers[h.server] = servers[h.server] ? `${servers[h.server]}; ${outcomeOf(h)}` : outcomeOf(h);
    clients[name] = {
      offered: {
        versions: all((f) => f.versions),
        suites: all((f) => f.suites),
        groups: all((f) => f.groups),
        keyShares: all((f) => f.keyShares),
        signatureAlgorithms: all((f) => f.signatureAlgorithms),
      },
      servers,
    };
  }
  return {
    format: POSTURE_FORMAT,
    tool: 'tls-floor-posture',
    floor: report.floor,
    runtime: { kind: report.runtime.kind, version: report.runtime.version, tlsLibrary: report.runtime.tlsLibrary },
    clients,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Keys sorted at every depth (lists keep their order: they are sorted where order means nothing). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort(cmp)
        .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** The baseline file's bytes: sorted keys, two spaces, one trailing newline. */
export function renderPosture(posture: Posture): string {
  return `${JSON.stringify(sortedKeys(posture), null, 2)}\n`;
}

const OFFERED: Array<[keyof ClientPosture['offered'], string]> = [
  ['versions', 'version'],
  ['suites', 'suite'],
  ['groups', 'group'],
  ['keyShares', 'key share'],
  ['signatureAlgorithms', 'signature algorithm'],
];

/**
 * What changed from `before` (the committed baseline) to `after` (this run), one readable line
 * each: `+ TLS_RSA_WITH_AES_128_CBC_SHA offered by default`, `− X25519MLKEM768 no longer
 * offered by requests`, `~ default on TLSv1: refused → connected TLSv1 ...`. Empty: no drift.
 * The lines hold text from the baseline file: print them as foreign text.
 */
export function postureDifferences(before: Posture, after: Posture): string[] {
  const lines: string[] = [];
  const runtime = (p: Posture) => `${p.runtime.version} on ${p.runtime.tlsLibrary}`;
  if (runtime(before) !== runtime(after)) lines.push(`~ runtime: ${runtime(before)} → ${runtime(after)}`);
  if (before.floor !== after.floor) lines.push(`~ floor: TLS ${before.floor} → TLS ${after.floor}`);
  const names = sortedUnique([...Object.keys(before.clients ?? {}), ...Object.keys(after.clients ?? {})]);
  for (const name of names) {
    const [was, is] = [before.clients?.[name], after.clients?.[name]];
    if (!was) lines.push(`+ client ${name} (not in the baseline)`);
    else if (!is) lines.push(`− client ${name} no longer runs`);
    if (!was || !is) continue;
    for (const [key, label] of OFFERED) {
      const [a, b] = [new Set(was.offered?.[key] ?? []), new Set(is.offered?.[key] ?? [])];
      for (const item of [...b].filter((x) => !a.has(x)).sort()) lines.push(`+ ${label} ${item} offered by ${name}`);
      for (const item of [...a].filter((x) => !b.has(x)).sort())
        lines.push(`− ${label} ${item} no longer offered by ${name}`);
    }
    const servers = sortedUnique([...Object.keys(was.servers ?? {}), ...Object.keys(is.servers ?? {})]);
    for (const server of servers) {
      const [x, y] = [was.servers?.[server] ?? 'not met', is.servers?.[server] ?? 'not met'];
      if (x !== y) lines.push(`~ ${name} on ${server}: ${x} → ${y}`);
    }
  }
  return lines;
}

/** A baseline file read back: a posture of this format, or why not (it is foreign text: bounded by the caller). */
export function parsePosture(text: string): Posture | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not JSON (${(error as Error).message.slice(0, 80)})` };
  }
  const p = value as Partial<Posture>;
  if (!p || typeof p !== 'object' || p.tool !== 'tls-floor-posture' || p.format !== POSTURE_FORMAT)
    return { problem: `it is not a tls-floor posture of format ${POSTURE_FORMAT}` };
  if (!p.clients || typeof p.clients !== 'object' || !p.runtime || typeof p.runtime !== 'object')
    return { problem: 'it has no clients or runtime section' };
  for (const [name, c] of Object.entries(p.clients)) {
    const ok =
      c &&
      typeof c === 'object' &&
      c.offered &&
      typeof c.offered === 'object' &&
      OFFERED.every(([k]) => Array.isArray(c.offered[k]) && c.offered[k].every((x) => typeof x === 'string')) &&
      c.servers &&
      typeof c.servers === 'object' &&
      Object.values(c.servers).every((x) => typeof x === 'string');
    if (!ok) return { problem: `its client ${name.slice(0, 40)} is not a client posture` };
  }
  return p as Posture;
}
