import { refusedInOffer } from '../judgement/observe.js';
import { findingKinds } from '../judgement/verdict.js';
import { meetsFloor, versionsBelow } from '../shared/floor.js';
import { describeClientHello } from '../shared/tls/client_hello.js';
import { clientOutcomeLines } from './client_outcomes.js';
import { outcomeOf, type Report } from './report.js';
import { aligned, displayWidth, fittedTables, WIDTH, wrapAll } from './text_layout.js';

/** ok: as required; bad: a MUST broken (fails the job); warn: a SHOULD broken; unclear: no evidence either way. */
export type Mark = 'ok' | 'bad' | 'warn' | 'unclear' | 'none';

export interface Cell {
  mark: Mark;
  /** The full reason (the log's table, the folded detail). */
  text: string;
  /** A few words for the job summary's table. */
  short: string;
}

/** The grid both views share: one row per server, one column per client (control first). */
export interface Grid {
  columns: Array<{ client: string; deciding: boolean }>;
  rows: Array<{ server: string; cells: Cell[] }>;
}

const cell = (mark: Mark, text: string, short = text): Cell => ({ mark, text, short });

export function buildGrid(report: Report): Grid {
  const clients = ['control', ...report.clients.map((c) => c.name)];
  const columns = clients.map((client) => ({ client, deciding: report.deciders.includes(client) }));
  // As the judgement decided them (a report from before they were kept: the floor's servers, no policy client).
  const mustRefuse = new Set(report.policy.mustRefuse ?? versionsBelow(report.floor));
  // The clients the policies judge on their servers (the strict one is shown, never judged there).
  const judgedByPolicies = new Set(report.policy.judgedOnPolicyServers ?? []);
  const rows = report.servers.map((server) => ({
    server:
      server.role === 'modern'
        ? 'modern (TLS 1.2+1.3)'
        : server.role === 'policy'
          ? `${server.id} (policy)`
          : `${server.id} only`,
    cells: clients.map((client): Cell => {
      const judged = judgeCell(client, server);
      // A client that does not decide (the strict one in probe-mode default), or one no policy
      // judges on a policy server, fails nothing: it is information, marked as a warning.
      const informational =
        client !== 'control' &&
        (!report.deciders.includes(client) || (server.role === 'policy' && !judgedByPolicies.has(client)));
      return judged.mark === 'bad' && informational ? { ...judged, mark: 'warn' } : judged;
    }),
  }));
  return { columns, rows };

  function judgeCell(client: string, server: Report['servers'][number]): Cell {
    if (client === 'control' && server.role === 'modern') return cell('none', '-');
    const h = report.handshakes.find((x) => x.server === server.id && x.client === client);
    if (!h) return cell('none', 'not run');
    // The control only proves the server reachable: that it reached TLSv1 is no pass of anything.
    if (client === 'control') {
      return h.outcome === 'connected'
        ? cell('none', `reached ${h.version ?? ''}`.trim())
        : cell('unclear', `unreachable: ${h.outcome}${h.reason ? ` (${h.reason})` : ''}`, 'unreachable');
    }
    // Where the server's side overrode the client's word, the cell says what the client said.
    const overridden =
      h.agreement === 'contradicted' || h.outcome === 'unconfirmed' ? ` (client said ${h.clientSaid.outcome})` : '';
    // As the judgement read it (refusedAfter): the certificate checked after a completed handshake.
    if (h.outcome === 'connected' && server.role === 'policy' && h.expected === 'refuse' && h.refusedAfter) {
      return cell('ok', `refused after the handshake, without a request (${h.refusedAfter})`, 'refused after');
    }
    if (h.outcome === 'connected') {
      const text = `connected ${h.version ?? ''}`.trim() + (h.family ? ` (${h.family})` : '') + overridden;
      const short = h.version ?? 'connected';
      if (h.expected === 'connect') return cell(meetsFloor(h.version, report.floor) ? 'ok' : 'bad', text, short);
      return cell(mustRefuse.has(server.id) || !report.policy ? 'bad' : 'warn', text, short);
    }
    if (h.outcome === 'refused') {
      const reason = h.reason ? ` (${h.reason})` : '';
      // Past the server's ServerHello the client had accepted the version and the suite.
      if (h.refusal === 'after-server-hello' && refusedInOffer(server) && h.expected === 'refuse') {
        const text = `failed after its ${h.serverHello} ServerHello${reason}: no refusal of what it serves`;
        return cell('unclear', text, 'failed after ServerHello');
      }
      const when =
        h.refusal === 'after-server-hello' ? ' after the ServerHello' : h.refusal ? ' before the ServerHello' : '';
      return cell(h.expected === 'refuse' ? 'ok' : 'bad', `refused${when}${reason}`, 'refused');
    }
    // A certificate server's whole point: the client turns the certificate down.
    if (h.outcome === 'certificate' && server.role === 'policy' && h.expected === 'refuse') {
      return cell('ok', `refused the certificate${h.reason ? ` (${h.reason})` : ''}`, 'refused cert');
    }
    if (h.outcome === 'unconfirmed') return cell('unclear', `unconfirmed${overridden}`, 'unconfirmed');
    return cell(
      h.expected === 'connect' ? 'bad' : 'unclear',
      `${h.outcome}${h.reason ? ` (${h.reason})` : ''}`,
      h.outcome,
    );
  }
}

type ReportHandshake = Report['handshakes'][number];

/** The client's side of a handshake, in a few words. */
export function clientSaidText(h: ReportHandshake): string {
  const said = h.clientSaid;
  const detail = said.outcome === 'connected' ? said.version : (said.reason ?? said.error);
  const ports = said.ports?.length ? ` [port ${said.ports.join(', ')}]` : ' [no port]';
  return `${said.outcome}${detail ? ` ${detail}` : ''}${ports}`;
}

/** The server's side of a handshake: its record of each connection the client made. */
export function serverSawText(h: ReportHandshake): string {
  if (h.serverSaw.length === 0) return 'no connection';
  return h.serverSaw
    .map((s) => {
      const completed = `completed ${s.version ?? ''}`.trim() + (s.family ? ` ${s.family}` : '');
      const failed = `failed ${s.code}${s.serverHello ? ` after its ${s.serverHello} ServerHello` : ''}`;
      const what = s.completed ? completed : s.code ? failed : 'open';
      return `${what}${s.hello ? '' : ', no ClientHello'} [port ${s.port}]`;
    })
    .join('; ');
}

/** Both sides of every handshake, one row each: server, client, client said, server saw, counted. */
export function bothSides(report: Report): string[][] {
  return report.handshakes.map((h) => [
    h.server,
    h.client,
    clientSaidText(h),
    serverSawText(h),
    `${h.outcome} (${h.agreement})`,
  ]);
}

/** One line per client: what its ClientHellos offered (as the servers read them). */
export function clientHelloLines(report: Report): string[] {
  return Object.entries(report.clientHelloFacts ?? {}).map(([client, list]) => {
    const first = list[0];
    if (!first) return `${client}: no ClientHello read`;
    const more =
      list.length > 1 ? ` (and ${list.length - 1} other ClientHello${list.length > 2 ? 's' : ''}; see the JSON)` : '';
    return `${client}: ${describeClientHello(first.facts)}${more}`;
  });
}

/**
 * The policies for the log: the count of each status, and the sentence of each rule that is
 * untestable or not applicable. A failed or warning rule's sentence is not repeated here: the
 * entry point prints it once, as its error or warning (the floor's failures are the verdict's).
 */
export function policyLines(report: Report): string[] {
  const policy = report.policy;
  if (policy.policies.length === 0) return [];
  // As the run's outcome counts them: a floor rule's failure that fail-on-downgrade: false let pass is said so.
  const { counts: n } = outcomeOf(report);
  const counts = (['pass', 'fail', 'warn', 'untestable', 'not-applicable'] as const)
    .map((status) => `${n[status]} ${status.replace('-', ' ')}`)
    .concat(n.tolerated ? [`${n.tolerated} failed, tolerated (fail-on-downgrade: false)`] : [])
    .join(', ');
  return [
    `policies ${policy.policies.join(', ')}: ${counts}`,
    ...policy.results
      .filter((r) => r.status === 'untestable' || r.status === 'not-applicable')
      .map((r) => `- ${r.status.replace('-', ' ')}: ${r.sentence}`),
  ];
}

/**
 * The kinds of finding beside the one that names the verdict, most serious first, as
 * ' (also downgrade, inconclusive)' with each kind as `word` says it; '' when there is none.
 */
function also(report: Report, word: (kind: Report['findings'][number]['verdict']) => string = (k) => k): string {
  const kinds = findingKinds(report.findings).filter((k) => k !== report.verdict);
  return kinds.length ? ` (also ${kinds.map(word).join(', ')})` : '';
}

/** The job's failure line: the verdict, the other kinds of finding, why. */
export function failureLine(report: Report): string {
  return `${report.verdict}${also(report)}: ${report.summary}`;
}

const TEXT_MARK: Record<Mark, string> = { ok: 'ok ', bad: 'XX ', warn: '!! ', unclear: '?? ', none: '   ' };

/** A cell's text longer than this goes under the table as a numbered note; the cell keeps its short form. */
const CELL_TEXT = 24;

/**
 * The log's view: fixed-width text, every line at most WIDTH (120) columns. Columns only for the
 * clients that ran (the others are said in the client lines); a long reason as a numbered note
 * under the table; as many tables as the columns need; both sides of each handshake aligned where
 * they fit, else one wrapped line each. The full text stays in the JSON report and the summary.
 */
export function renderTextTable(report: Report): string {
  const grid = buildGrid(report);
  const shown = grid.columns.flatMap((c, i) =>
    c.client === 'control' || grid.rows.some((r) => r.cells[i]?.text !== 'not run') ? [i] : [],
  );
  const notes = new Map<string, number>();
  const cellText = (c: Cell): string => {
    if (displayWidth(c.text) <= CELL_TEXT) return TEXT_MARK[c.mark] + c.text;
    if (!notes.has(c.text)) notes.set(c.text, notes.size + 1);
    return `${TEXT_MARK[c.mark]}${c.short} [${notes.get(c.text)}]`;
  };
  const header = [
    'server',
    ...shown.map((i) => {
      const c = grid.columns[i]!;
      return c.deciding || c.client === 'control' ? c.client : `${c.client} (info)`;
    }),
  ];
  const body = grid.rows.map((r) => [r.server, ...shown.map((i) => cellText(r.cells[i]!))]);
  const sides = [['server', 'client', 'client said', 'server saw', 'counted'], ...bothSides(report)];
  const sidesAligned = aligned(sides);
  const sidesFit = sidesAligned.every((l) => displayWidth(l) <= WIDTH);
  return [
    ...wrapAll([
      `tls-floor verdict: ${report.verdict.toUpperCase()}${also(report)} (floor TLS ${report.floor}, probe-mode ${report.probeMode})`,
      `runtime: ${report.runtime.version} at ${report.runtime.path}; TLS library: ${report.runtime.tlsLibrary}`,
    ]),
    ...fittedTables([header, ...body]),
    ...wrapAll([
      ...[...notes].map(([text, n]) => `[${n}] ${text}`),
      ...clientOutcomeLines(report.clientOutcomes ?? []).map((l) => `client ${l}`),
      report.summary,
      ...(report.findings.length > 1 ? report.findings.map((f) => `- ${f.verdict}: ${f.message}`) : []),
      ...policyLines(report),
      ...(report.unavailable?.length
        ? report.unavailable.map((u) => `not testable on this runner: ${u.id}: ${u.reason}`)
        : []),
      'What each client offered (ClientHello):',
      ...clientHelloLines(report),
      'Both sides of each handshake:',
    ]),
    ...(sidesFit
      ? sidesAligned
      : wrapAll(
          sides
            .slice(1)
            .map(
              ([server, client, said, saw, counted]) =>
                `${server} × ${client}: client said ${said}; server saw ${saw}; counted ${counted}`,
            ),
        )),
  ].join('\n');
}
