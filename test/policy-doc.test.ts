import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../src/judgement/evaluate.js';
import { POLICIES } from '../src/policies/policies.js';
import type { ClientObservation } from '../src/policies/rules.js';
import { evaluationTable, policyIndex, policyReference } from '../src/report/policy_markdown.js';

const DOC = path.resolve('docs/policies.md');
const BEGIN = '<!-- policies: generated from src/policy/policies.ts by test/policy-doc.test.ts -->';
const END = '<!-- end of policies -->';

describe('docs/policies.md', () => {
  it('lists every rule of every policy with its source, as the data says (UPDATE_POLICY_DOC=1 rewrites it)', () => {
    const reference = `${BEGIN}\n\n${policyReference(Object.values(POLICIES))}\n\n${END}`;
    const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
    if (process.env.UPDATE_POLICY_DOC === '1') {
      const start = doc.indexOf(BEGIN);
      const end = doc.indexOf(END);
      writeFileSync(
        DOC,
        start >= 0 && end > start
          ? doc.slice(0, start) + reference + doc.slice(end + END.length)
          : `${doc}\n${reference}\n`,
      );
    }
    const now = readFileSync(DOC, 'utf8');
    expect(now).toContain(reference);
    for (const policy of Object.values(POLICIES))
      for (const rule of policy.rules) expect(now).toContain(`\`${rule.id}\``);
  });
});

const README = path.resolve('docs/policy-guide.md');
const INDEX_BEGIN = '<!-- policy rules: generated from src/policy/policies.ts by test/policy-doc.test.ts -->';
const INDEX_END = '<!-- end of policy rules -->';

describe('docs/policy-guide.md', () => {
  it('lists every rule of every policy with its source (UPDATE_POLICY_DOC=1 rewrites it)', () => {
    const index = `${INDEX_BEGIN}\n\n${policyIndex(Object.values(POLICIES))}\n\n${INDEX_END}`;
    const doc = readFileSync(README, 'utf8');
    const start = doc.indexOf(INDEX_BEGIN);
    const end = doc.indexOf(INDEX_END);
    if (process.env.UPDATE_POLICY_DOC === '1' && start >= 0 && end > start) {
      writeFileSync(README, doc.slice(0, start) + index + doc.slice(end + INDEX_END.length));
    }
    expect(readFileSync(README, 'utf8')).toContain(index);
  });
});

describe('evaluationTable', () => {
  it('shows one row per rule, one column per client, and the sentence of every rule that did not pass', () => {
    const observation = (client: string, nullOutcome: 'connected' | 'refused'): ClientObservation => ({
      client,
      hellos: [],
      servers: {
        'null-only': {
          outcome: nullOutcome,
          detail: nullOutcome === 'connected' ? 'TLSv1.2 with NULL-SHA256' : 'NO_SHARED_CIPHER',
        },
      },
    });
    const rules = { ...POLICIES.rfc9325, rules: POLICIES.rfc9325.rules.filter((r) => r.id === 'rfc9325.no-null') };
    const table = evaluationTable(
      evaluatePolicies([rules], [observation('default', 'refused'), observation('strict', 'connected')], {
        floor: '1.2',
      }),
    );
    expect(table).toBe(
      [
        '| rule | level | source | result | `default` | `strict` |',
        '| --- | --- | --- | --- | --- | --- |',
        '| `rfc9325.no-null` | MUST | RFC 9325 §4.1 | ❌ fail | ✅ pass | ❌ fail |',
        '',
        '- rfc9325.no-null (RFC 9325 §4.1, MUST: not negotiate cipher suites with NULL encryption) failed: the strict client ' +
          'completed a handshake with the NULL-encryption-only server (TLSv1.2 with NULL-SHA256).',
      ].join('\n'),
    );
  });
});
