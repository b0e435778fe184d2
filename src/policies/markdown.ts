import { type Check, FEATURE_WORDS, offerWords, type Policy, type Rule, serverDescription } from './rules.js';

/**
 * The policies in words for people: each policy's rules with their sources (docs/policies.md is
 * policyReference's output, kept in step by a test), and each rule as a code-scanning rule reads
 * it (the merge action hands ruleTexts to report/sarif.ts, which imports no policy).
 */

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** What a rule checks of the client, in words. */
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

/** Every rule of every policy as text: what SARIF's rule descriptors say of it. */
export interface RuleText {
  policy: string;
  id: string;
  level: Rule['level'];
  requirement: string;
  /** Its source, its requirement, what is checked and its note, in one sentence. */
  text: string;
}

export function ruleTexts(policies: readonly Policy[]): RuleText[] {
  return policies.flatMap((policy) =>
    policy.rules.map((rule) => ({
      policy: policy.id,
      id: rule.id,
      level: rule.level,
      requirement: rule.requirement,
      text: `${rule.citation}, ${rule.level}: ${rule.requirement}. Checked: the client ${describeCheck(rule.check)}.${rule.note ? ` ${rule.note}` : ''}`,
    })),
  );
}
