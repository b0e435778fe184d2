import { findingKinds } from '../judgement/verdict.js';
import { meetsFloor } from '../shared/floor.js';
import { describeClientHello } from '../shared/tls/client_hello.js';
import { clientOutcomeLines } from './client_outcomes.js';
import { evaluationTable } from './policy_markdown.js';
import type { Report } from './report.js';

export type Mark = 'ok' | 'bad' | 'unclear' | 'none';

export interface Cell {
  mark: Mark;
  text: string;
}

/** The grid both views share: one row per server, one column per client (control first). */
export interface Grid {
  columns: Array<{ client: string; deciding: boolean }>;
  rows: Array<{ server: string; cells: Cell[] }>;
}

export function buildGrid(report: Report): Grid {
  const clients = ['control', ...report.clients.map((c) => c.name)];
  const columns = clients.map((client) => ({ client, deciding: report.deciders.includes(client) }));
  const rows = report.servers.map((server) => ({
    server:
      server.role === 'modern'
        ? 'modern (TLS 1.2+1.3)'
        : server.role === 'policy'
          ? `${server.id} (policy)`
          : `${server.id} only`,
    cells: clients.map((client): Cell => {
      if (client === 'control' && server.role === 'modern') return { mark: 'none', text: '-' };
      const h = report.handshakes.find((x) => x.server === server.id && x.client === client);
      if (!h) return { mark: 'none', text: 'not run' };
      // Where the server's side overrode the client's word, the cell says what the client said.
      const overridden =
        h.agreement === 'contradicted' || h.outcome === 'unconfirmed' ? ` (client said ${h.clientSaid.outcome})` : '';
      if (h.outcome === 'connected') {
        const good = h.expected === 'connect' && (client === 'control' || meetsFloor(h.version, report.floor));
        return { mark: good ? 'ok' : 'bad', text: `connected ${h.version ?? ''}`.trim() + overridden };
      }
      if (h.outcome === 'refused') {
        return { mark: h.expected === 'refuse' ? 'ok' : 'bad', text: `refused${h.reason ? ` (${h.reason})` : ''}` };
      }
      // A certificate server's whole point: the client turns the certificate down.
      if (h.outcome === 'certificate' && server.role === 'policy' && h.expected === 'refuse') {
        return { mark: 'ok', text: `refused the certificate${h.reason ? ` (${h.reason})` : ''}` };
      }
      if (h.outcome === 'unconfirmed') return { mark: 'unclear', text: `unconfirmed${overridden}` };
      return {
        mark: h.expected === 'connect' ? 'bad' : 'unclear',
        text: `${h.outcome}${h.reason ? ` (${h.reason})` : ''}`,
      };
    }),
  }));
  return { columns, rows };
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
      const what = s.completed ? `completed ${s.version ?? ''}`.trim() : s.code ? `failed ${s.code}` : 'open';
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
  const counts = (['pass', 'fail', 'warn', 'untestable', 'not-applicable'] as const)
    .map((status) => `${policy.results.filter((r) => r.status === status).length} ${status.replace('-', ' ')}`)
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

/** Rows as fixed-width columns joined by ' | ', without trailing blanks; a rule under the first row if asked. */
function aligned(rows: readonly string[][], ruleUnderHeader = false): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const lines = rows.map(line);
  if (ruleUnderHeader) lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('-+-'));
  return lines;
}

const TEXT_MARK: Record<Mark, string> = { ok: 'ok ', bad: 'XX ', unclear: '?? ', none: '   ' };

/** The log's view: a fixed-width table. */
export function renderTextTable(report: Report): string {
  const grid = buildGrid(report);
  const header = [
    'server',
    ...grid.columns.map((c) => (c.deciding || c.client === 'control' ? c.client : `${c.client} (info)`)),
  ];
  const body = grid.rows.map((r) => [r.server, ...r.cells.map((c) => TEXT_MARK[c.mark] + c.text)]);
  const sides = [['server', 'client', 'client said', 'server saw', 'counted'], ...bothSides(report)];
  return [
    `tls-floor verdict: ${report.verdict.toUpperCase()}${also(report)} (floor TLS ${report.floor}, probe-mode ${report.probeMode})`,
    `runtime: ${report.runtime.version} at ${report.runtime.path}; TLS library: ${report.runtime.tlsLibrary}`,
    ...aligned([header, ...body], true),
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
    ...aligned(sides),
  ].join('\n');
}

/** The policy table (one row per rule, one column per client), what it means, and what could not be tested. */
function policySection(report: Report): string[] {
  const policy = report.policy;
  if (policy.policies.length === 0) return [];
  const failing = policy.results.filter((r) => r.status === 'fail').length;
  const head =
    `#### Policies: ${policy.policies.map((p) => `\`${p}\``).join(', ')}` +
    ` (${failing === 0 ? 'no MUST rule failed' : `${failing} MUST rule${failing > 1 ? 's' : ''} failed`})`;
  return [
    head,
    '',
    "A MUST rule that fails fails the job (the `floor` policy's rules are the verdict above); a SHOULD warns; " +
      '*untestable*: its server could not be started or reached by its control on this runner, or the client gave no ' +
      'evidence either way; never a pass. *not applicable*: the floor forbids what the rule asks (a server below it), ' +
      'or the rule is about TLS 1.2 and the client offered only TLS 1.3; never a failure. A result marked *info* is ' +
      "the strict client's, which only the `floor` policy judges: the action sets it to the lowest version and " +
      'security level 0 to show what the library can do, not what a program gets.',
    '',
    evaluationTable(policy),
    '',
    ...(report.unavailable?.length
      ? [...report.unavailable.map((u) => `- not testable on this runner: \`${u.id}\`: ${u.reason}`), '']
      : []),
  ];
}

const MD_MARK: Record<Mark, string> = { ok: '✅', bad: '❌', unclear: '⚠️', none: '' };
const VERDICT_BADGE: Record<Report['verdict'], string> = {
  pass: '✅ pass',
  downgrade: '❌ downgrade',
  inconclusive: '⚠️ inconclusive',
  broken: '❌ broken',
};

/** The job summary's view: the same grid as Markdown, the verdict on top. */
export function renderMarkdown(report: Report, reportPath?: string): string {
  const grid = buildGrid(report);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const header = [
    'Server',
    ...grid.columns.map((c) => (c.deciding || c.client === 'control' ? `\`${c.client}\`` : `\`${c.client}\` (info)`)),
  ];
  const details = report.runtime.details;
  const sides = bothSides(report);
  return [
    `### tls-floor: ${VERDICT_BADGE[report.verdict]}${also(report, (k) => VERDICT_BADGE[k])}`,
    '',
    `**${esc(report.summary)}**`,
    '',
    `Floor TLS ${report.floor} · probe-mode \`${report.probeMode}\` · ${report.runtime.version} (\`${report.runtime.path}\`) · ${report.runtime.tlsLibrary}`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...grid.rows.map(
      (r) => `| ${r.server} | ${r.cells.map((c) => esc(`${MD_MARK[c.mark]} ${c.text}`.trim())).join(' | ')} |`,
    ),
    '',
    "Clients (each one's own outcome):",
    '',
    ...clientOutcomeLines(report.clientOutcomes ?? []).map((l) => `- ${esc(l)}`),
    '',
    ...(report.findings.length > 1
      ? ['Findings:', ...report.findings.map((f) => `- **${f.verdict}**: ${esc(f.message)}`), '']
      : []),
    ...policySection(report),
    ...(report.clientHelloFacts && Object.keys(report.clientHelloFacts).length
      ? [
          'What each client offered (its ClientHello, as the servers read it):',
          '',
          ...clientHelloLines(report).map((l) => `- ${l}`),
          '',
        ]
      : []),
    '<details><summary>Both sides of each handshake (what the client said, what the server saw)</summary>\n',
    '| Server | Client | Client said | Server saw | Counted |',
    '| --- | --- | --- | --- | --- |',
    ...sides.map((row) => `| ${row.map(esc).join(' | ')} |`),
    '</details>',
    '',
    `<details><summary>Runtime details</summary>\n\n\`\`\`json\n${JSON.stringify(details, null, 2)}\n\`\`\`\n</details>`,
    ...(reportPath ? ['', `JSON report: \`${reportPath}\``] : []),
    '',
  ].join('\n');
}
