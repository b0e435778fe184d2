import type { PolicyEvaluation, Status } from '../judgement/evaluate.js';

/** An evaluation as a Markdown table for people (one row per rule, one column per client). */

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const ICON: Record<Status, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  untestable: '➖ untestable',
  'not-applicable': '⚪ not applicable',
};

/**
 * The job summary's policy table: one row per rule, one column per client; a client the policy
 * does not judge (the strict one, for every policy but floor) shows its result marked "info".
 */
export function evaluationTable(evaluation: PolicyEvaluation): string {
  const clients = [...new Set(evaluation.results.flatMap((r) => r.clients.map((c) => c.client)))];
  const header = `| rule | level | source | result | ${clients.map((c) => `\`${c}\``).join(' | ')} |`;
  const rows = evaluation.results.map((r) => {
    const perClient = clients.map((name) => {
      const c = r.clients.find((x) => x.client === name);
      if (!c) return '-';
      return c.judged ? ICON[c.status] : `${ICON[c.status]} (info)`;
    });
    return `| \`${r.rule}\` | ${r.level} | ${cell(r.citation)} | ${ICON[r.status]} | ${perClient.join(' | ')} |`;
  });
  const findings = evaluation.results.filter((r) => r.status !== 'pass').map((r) => `- ${r.sentence}`);
  const rule = `| --- | --- | --- | --- |${clients.map(() => ' --- |').join('')}`;
  return [header, rule, ...rows, ...(findings.length ? ['', ...findings] : [])].join('\n');
}
