import path from 'node:path';
import type { RuleResult, Status } from '../judgement/evaluate.js';
import { type RunOutcome, runOutcome } from '../judgement/outcome.js';
import type { Verdict } from '../judgement/verdict.js';
import { clientKindNamed } from '../probe/client_kinds.js';
import { foreign } from '../shared/foreign.js';
import { clientOutcomeLines } from './client_outcomes.js';
import { outcomeOf, type Report } from './report.js';
import { runLine } from './run.js';
import { bothSides, buildGrid, clientHelloLines, type Mark } from './table.js';

/**
 * The job summary, for the auditor and the developer at a glance: the verdict and the runtime,
 * the run it is evidence for, a counts line, the problems (one sentence each, with a hint where
 * one exists), the servers table with short cells and one legend, and everything that passed
 * folded. The full reasons are in the folded detail and in the JSON report.
 */

export const MD_MARK: Record<Mark, string> = { ok: '✅', bad: '❌', warn: '⚠️', unclear: '❔', none: '' };
export const STATUS_MARK: Record<Status, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  untestable: '➖',
  'not-applicable': '⚪',
};
export const VERDICT_MARK: Record<Verdict, string> = { pass: '✅', downgrade: '❌', inconclusive: '❔', broken: '❌' };

export const LEGEND =
  '✅ as required · ❌ a MUST broken (fails the job) · ⚠️ a SHOULD broken (warns), or a client no policy judges there ' +
  '(information) · ❔ no evidence either way · ➖ not testable on this runner · ⚪ not applicable at this floor · ' +
  'control: a permissive client proving the server reachable, never judged';

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Markdown-safe text for a table cell or a list item: one line, no table breaker and no raw HTML
 * (the report's strings from a probed runtime were made safe for the log where they entered,
 * probe/clients/client.ts observed(); here they are made inert for the summary).
 */
export const esc = (s: string) =>
  s
    .replace(/[&<>]/g, (c) => HTML[c] ?? c)
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]/g, ' ');

/** A name as inline code: no backtick can end the code span early. */
const code = (s: string) => `\`${esc(s).replace(/`/g, "'")}\``;

/** MUST failed, SHOULD warned, passed, untestable: over every rule of the chosen policies (a matrix's sum). */
export function ruleCounts(results: readonly RuleResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, fail: 0, warn: 0, untestable: 0, 'not-applicable': 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/**
 * The rules by status, each count that is not zero, as the run's outcome decided them: a failed
 * MUST here is one that fails the job (or says it was tolerated), so the line never reads
 * "❌ 0 MUST failed" on a pass or beside a downgrade the policies did not see.
 */
export function countsLine(counts: Record<Status, number> & Partial<Record<'tolerated', number>>): string {
  const parts = [
    [counts.fail, '❌', 'MUST failed'],
    [counts.tolerated ?? 0, '⚠️', 'MUST failed, tolerated (fail-on-downgrade: false)'],
    [counts.warn, '⚠️', 'SHOULD warned'],
    [counts.pass, '✅', 'passed'],
    [counts.untestable, '➖', 'untestable'],
    [counts['not-applicable'], '⚪', 'not applicable'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, mark, words]) => `${mark} ${n} ${words}`);
  return `Policy rules: ${shown.join(' · ') || 'none'}`;
}

/**
 * Whether a report's evidence fails, for the merge action: runOutcome with fail-on-downgrade on,
 * whatever the job was given (a job may set it to false to let the merge decide).
 */
export function evidenceFails(report: Report): boolean {
  return runOutcome(report, true).fails;
}

const HEADLINE: Record<RunOutcome['headline'], string> = {
  ...Object.fromEntries(Object.entries(VERDICT_MARK).map(([v, mark]) => [v, `${mark} ${v}`])),
  'policy-failed': '❌ policy failed (the floor held)',
} as Record<RunOutcome['headline'], string>;

/** The headline: the verdict, or "policy failed" when the floor held and a MUST did not (the outcome's word). */
export function headline(report: Report): string {
  const { headline: status, also, downgradeTolerated } = outcomeOf(report);
  if (downgradeTolerated && status === 'downgrade') return '⚠️ downgrade, tolerated (fail-on-downgrade: false)';
  return `${HEADLINE[status]}${also.length ? ` (also ${also.join(', ')})` : ''}`;
}

/** Where the runtime holds its floor, as it said (java, go, ruby, php): foreign text. */
function floorSetting(report: Report): string[] {
  const setting = report.runtime.details['floorSetting'];
  return setting === undefined ? [] : ['', `Floor set by: ${foreign(setting, { for: 'markdown', max: 400 })}`];
}

/** What to do about the verdict, where the action knows. */
function verdictHint(report: Report): string | undefined {
  const built = report.context?.['build'] !== undefined;
  if (report.verdict === 'downgrade') {
    if (report.runtime.kind === 'python' && !built) return 'build a hardened runtime: leave `python-path` out.';
    const hint = clientKindNamed(report.runtime.kind)?.downgradeHint;
    if (hint) return hint;
    return 'use a TLS library built or configured without the versions below the floor.';
  }
  if (report.verdict === 'inconclusive')
    return 'open *Both sides of each handshake*: a refusal counts only where the server read the ClientHello.';
  if (report.verdict === 'broken')
    return 'the runtime must connect to the modern server: check its CA bundle and TLS library.';
  return undefined;
}

const RULE_HINTS: Array<[RegExp, string]> = [
  [/^pq-hybrid\./, 'hybrid ML-KEM groups need OpenSSL 3.5 or later.'],
  [/^pci-dss-4\.(trusted-issuer|not-expired|right-host)$|\.wrong-host$/, 'keep certificate verification on.'],
  [
    /offer-no-|no-static-rsa|refuse-weak-suites|no-null|cbc/,
    'narrow the cipher list (e.g. `@SECLEVEL=2`, no `RSA` key exchange).',
  ],
];

function ruleHint(rule: string): string | undefined {
  return RULE_HINTS.find(([pattern]) => pattern.test(rule))?.[1];
}

const withHint = (line: string, hint: string | undefined) => (hint ? `${line} *Hint:* ${hint}` : line);

/**
 * The problems, each once: the verdict's findings (the `floor` policy's rules say the same and
 * are not repeated), then every other failed MUST and warned SHOULD. A pass says what a client
 * that did not decide showed, when it showed more than the deciding ones.
 */
function problems(report: Report): string[] {
  const lines: string[] = [];
  if (report.verdict !== 'pass') {
    const many = report.findings.length > 1;
    const first = `${VERDICT_MARK[report.verdict]} **${report.verdict}**: ${esc(report.summary)}`;
    lines.push(withHint(`- ${first}`, verdictHint(report)));
    if (many) for (const f of report.findings.slice(1)) lines.push(`  - ${VERDICT_MARK[f.verdict]} ${esc(f.message)}`);
  } else {
    lines.push(`- ✅ **pass**: ${esc(report.summary)}`, ...beyondDeciders(report));
  }
  for (const r of report.policy?.results ?? []) {
    if (r.policy === 'floor' || (r.status !== 'fail' && r.status !== 'warn')) continue;
    lines.push(withHint(`- ${STATUS_MARK[r.status]} ${ruleSentence(r)}`, ruleHint(r.rule)));
  }
  return lines;
}

/** A rule's sentence with its id set off, so that a list of them reads down the ids. */
function ruleSentence(r: RuleResult): string {
  const text = esc(r.sentence);
  return text.startsWith(r.rule) ? `**\`${r.rule}\`**${text.slice(r.rule.length)}` : text;
}

/** What a client that does not decide (the strict one, in probe-mode default) completed below the floor. */
function beyondDeciders(report: Report): string[] {
  const legacy = new Set(report.servers.filter((s) => s.role === 'legacy').map((s) => s.id));
  const shown = report.handshakes.filter(
    (h) =>
      legacy.has(h.server) &&
      h.client !== 'control' &&
      !report.deciders.includes(h.client) &&
      h.outcome === 'connected',
  );
  if (shown.length === 0) return [];
  const byClient = new Map<string, string[]>();
  for (const h of shown) byClient.set(h.client, [...(byClient.get(h.client) ?? []), h.version ?? h.server]);
  return [...byClient].map(
    ([client, versions]) =>
      `  - ⚠️ the ${code(client)} client (not deciding in probe-mode \`${report.probeMode}\`) completed ${esc(versions.join(', '))}: ` +
      'the library still speaks it when a program asks for it.',
  );
}

function serversTable(report: Report): string[] {
  const grid = buildGrid(report);
  const header = [
    'Server',
    ...grid.columns.map((c) => (c.deciding || c.client === 'control' ? code(c.client) : `${code(c.client)} (info)`)),
  ];
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...grid.rows.map(
      (r) => `| ${r.server} | ${r.cells.map((c) => esc(`${MD_MARK[c.mark]} ${c.short}`.trim())).join(' | ')} |`,
    ),
  ];
}

/** The rules that passed (or could not be tested), folded: rule, level, source, each client's mark. */
function foldedRules(title: string, results: readonly RuleResult[], withSentences: boolean): string[] {
  if (results.length === 0) return [];
  const rows = results.map((r) => {
    // A client the policy does not judge is information: its result in words, with no mark.
    const clients = r.clients
      .map((c) => (c.judged ? `${STATUS_MARK[c.status]} ${c.client}` : `${c.client} (info: ${c.status})`))
      .join(', ');
    return `| \`${r.rule}\` | ${r.level} | ${esc(r.citation)} | ${esc(clients) || '-'} |`;
  });
  return [
    `<details><summary>${title} (${results.length})</summary>`,
    '',
    '| Rule | Level | Source | Clients |',
    '| --- | --- | --- | --- |',
    ...rows,
    ...(withSentences ? ['', ...results.map((r) => `- ${esc(r.sentence)}`)] : []),
    '',
    '</details>',
    '',
  ];
}

function folded(title: string, body: string[]): string[] {
  return [`<details><summary>${title}</summary>`, '', ...body, '', '</details>', ''];
}

/** The job summary's view of one report. `reportPath`: named by its file name, with the output that holds it. */
export function renderMarkdown(report: Report, reportPath?: string): string {
  const results = report.policy?.results ?? [];
  const run = runLine(report.run);
  const policies = report.policy.policies.map((p) => `\`${p}\``).join(', ') || 'none';
  const sides = bothSides(report);
  const hellos = clientHelloLines(report);
  const outcomes = clientOutcomeLines(report.clientOutcomes ?? []);
  return [
    `### tls-floor: ${headline(report)}`,
    '',
    `**${countsLine(outcomeOf(report).counts)}**`,
    '',
    `${esc(report.runtime.version)} · ${esc(report.runtime.tlsLibrary)} · floor TLS ${report.floor} · ` +
      `probe-mode \`${report.probeMode}\` · policies ${policies}`,
    ...floorSetting(report),
    ...(run ? ['', `<sub>${run}</sub>`] : []),
    '',
    ...problems(report),
    '',
    ...serversTable(report),
    '',
    `<sub>${LEGEND}</sub>`,
    '',
    ...(outcomes.length
      ? folded(
          `Each client's own outcome (${outcomes.length})`,
          outcomes.map((l) => `- ${esc(l)}`),
        )
      : []),
    ...foldedRules(
      'Not testable on this runner',
      results.filter((r) => r.status === 'untestable'),
      true,
    ),
    ...(report.unavailable?.length
      ? folded(
          `Policy servers this runner could not start (${report.unavailable.length})`,
          report.unavailable.map((u) => `- \`${u.id}\`: ${esc(u.reason)}`),
        )
      : []),
    ...foldedRules(
      'Not applicable',
      results.filter((r) => r.status === 'not-applicable'),
      true,
    ),
    ...foldedRules(
      'Rules that passed',
      results.filter((r) => r.status === 'pass'),
      false,
    ),
    ...(hellos.length
      ? folded(
          'What each client offered (its ClientHello, as the servers read it)',
          hellos.map((l) => `- ${esc(l)}`),
        )
      : []),
    ...folded(
      'Both sides of each handshake (what the client said, what the server saw, what counted)',
      sides.map(
        ([server, client, said, saw, counted]) =>
          `- ${code(server ?? '')} × ${code(client ?? '')}: client said ${esc(said ?? '')}; server saw ${esc(saw ?? '')}; counted ${esc(counted ?? '')}`,
      ),
    ),
    ...folded('Runtime details', [
      `Runtime: \`${esc(report.runtime.path)}\``,
      '',
      '```json',
      JSON.stringify(report.runtime.details, null, 2),
      '```',
    ]),
    ...(reportPath
      ? [
          `JSON report: \`${path.basename(reportPath)}\`, the step's \`report-path\` output (a temporary file: keep it ` +
            'with actions/upload-artifact; tls-floor/merge gathers a matrix of them).',
          '',
        ]
      : []),
  ].join('\n');
}
