import type { PolicyEvaluation, Status } from '../judgement/evaluate.js';
import { type Check, FEATURE_WORDS, offerWords, type Policy, serverDescription } from '../policies/rules.js';

/**
 * Markdown for people: each policy's rules with their sources (docs/policies.md is this output,
 * kept in step by a test), and an evaluation as the table a job summary shows.
 */

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function describeCheck(check: Check): string {
  if ('mustRefuse' in check) {
    const servers = check.mustRefuse.map((k) =>
      k === 'below-floor' ? 'every server pinned below the floor' : serverDescription(k),
    );
    return `refuses ${servers.join(', ')}`;
  }
  if ('mustConnect' in check) return `connects to ${check.mustConnect.map((k) => serverDescription(k)).join(', ')}`;
  if ('notOffered' in check) return `ClientHello offers no ${offerWords(check.notOffered)}`;
  if ('fipsModule' in check)
    return check.fipsModule === 'active'
      ? "the runtime's FIPS provider is active and serves every fetch; hashlib.md5() raises"
      : "the FIPS provider's version holds an active FIPS 140-3 certificate (src/policies/cmvp.json)";
  return `ClientHello carries ${FEATURE_WORDS[check.mustOffer]}`;
}

/** One section per policy: its source and a table of its rules. */
export function policyReference(policies: readonly Policy[]): string {
  return policies
    .map((policy) => {
      const rows = policy.rules.map(
        (r) =>
          `| \`${r.id}\` | ${r.level} | ${cell(r.citation)} | ${cell(r.requirement)} | ${cell(describeCheck(r.check))} |` +
          ` ${cell(r.note ?? '')} |`,
      );
      return [
        `### \`${policy.id}\`: ${policy.title}`,
        '',
        `Source: ${policy.source}`,
        '',
        '| rule | level | source | requirement | checked by | note |',
        '| --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n');
    })
    .join('\n\n');
}

/** All rules of all policies in one table (docs/policy-guide.md's): rule, level, source, how it is checked. */
export function policyIndex(policies: readonly Policy[]): string {
  const rows = policies.flatMap((policy) =>
    policy.rules.map((r) => `| \`${r.id}\` | ${r.level} | ${cell(r.citation)} | ${cell(describeCheck(r.check))} |`),
  );
  return ['| rule | level | source | checked: the client … |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

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
