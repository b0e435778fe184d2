import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/judgement/evaluate.js';
import { POLICIES } from '../../src/policies/policies.js';
import type { ClientObservation } from '../../src/policies/rules.js';
import { evaluationTable } from '../../src/report/policy_markdown.js';

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

describe('evaluationTable: a client the policy does not judge', () => {
  it("shows the strict (capability) client's result marked info; the rule's result is the judged clients'", () => {
    const observation = (client: string, nullOutcome: 'connected' | 'refused'): ClientObservation => ({
      client,
      ...(client === 'strict' ? { capability: true } : {}),
      hellos: [],
      servers: { 'null-only': { outcome: nullOutcome } },
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
        '| `rfc9325.no-null` | MUST | RFC 9325 §4.1 | ✅ pass | ✅ pass | ❌ fail (info) |',
      ].join('\n'),
    );
  });
});
