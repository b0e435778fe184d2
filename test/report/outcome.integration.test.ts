import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOutcome } from '../../src/judgement/outcome.js';
import { NodeClient } from '../../src/probe/clients/node.js';
import { outcomeOf, type Report } from '../../src/report/report.js';
import { evidenceFails, renderMarkdown } from '../../src/report/summary.js';
import { renderTextTable } from '../../src/report/table.js';
import { childProcesses } from '../fixtures/processes.js';
import { probeReport } from '../fixtures/report.js';

// Real reports, probed on loopback. The truth is the wire and the libraries: the Node.js running
// the tests completes TLS 1.0 with its strict client (a downgrade in probe-mode both) and refuses
// it with its default one (a pass in probe-mode default); Debian's /usr/bin/openssl (3.0, no
// ML-KEM) holds the floor by its openssl.cnf and offers no hybrid post-quantum group, which the
// pq-hybrid policy's MUST requires (a policy failure under a floor that held).
let pass: Report;
let downgradePoliciesPass: Report;
let policyFailure: Report;
beforeAll(async () => {
  const node = new NodeClient(process.execPath);
  [pass, downgradePoliciesPass, policyFailure] = await Promise.all([
    probeReport(node, { probeMode: 'default' }),
    probeReport(node, { probeMode: 'both', policies: ['rfc9325'] }),
    // Node.js 20's default client (OpenSSL 3.0) refuses TLS 1.0/1.1 in its offer and offers no
    // hybrid group: the floor holds, pq-hybrid's MUST fails. (openssl s_client's defaults complete
    // static RSA at TLS 1.0, as against openssl s_server: a downgrade, issue 27.)
    probeReport(node, { probeMode: 'default', policies: ['floor', 'pq-hybrid'] }),
  ]);
});
afterAll(() => {
  expect(childProcesses()).toEqual([]);
});

/** The counts line of the job summary, as numbers by its words. */
function counted(report: Report): { failed: number; line: string } {
  const line = renderMarkdown(report).split('\n')[2]!;
  return { failed: Number(/❌ (\d+) MUST failed/.exec(line)?.[1] ?? 0), line };
}

describe('one decision whether a run fails: verdict, counts, policy-failures and the exit agree', () => {
  it('a pass: no MUST failed anywhere, the run does not fail', () => {
    expect(pass.verdict).toBe('pass');
    const { failed, line } = counted(pass);
    expect(line).not.toMatch(/MUST failed/);
    expect(failed).toBe(pass.policy.failed.length);
    expect(renderMarkdown(pass).split('\n')[0]).toBe('### tls-floor: ✅ pass');
    expect(evidenceFails(pass)).toBe(false);
  });

  it('a downgrade with the policies passing: the headline fails, the counts say no MUST failed, not "❌ 0"', () => {
    expect(downgradePoliciesPass.verdict).toBe('downgrade');
    expect(downgradePoliciesPass.policy.failed).toEqual([]);
    const { failed, line } = counted(downgradePoliciesPass);
    expect(line).not.toMatch(/❌ 0/);
    expect(failed).toBe(0);
    expect(line).toMatch(/^\*\*Policy rules: .*✅ \d+ passed/);
    expect(renderMarkdown(downgradePoliciesPass).split('\n')[0]).toMatch(/^### tls-floor: ❌ downgrade/);
    expect(outcomeOf(downgradePoliciesPass)).toMatchObject({ fails: true, floorFails: true, policyFailures: [] });
    expect(evidenceFails(downgradePoliciesPass)).toBe(true);
  });

  it('a policy failure under a floor that held: the counts name as many failures as policy-failures', () => {
    expect(policyFailure.verdict).toBe('pass');
    const outcome = outcomeOf(policyFailure);
    expect(outcome.policyFailures.length).toBeGreaterThan(0);
    expect(outcome.policyFailures).toEqual(policyFailure.policy.failed);
    const { failed } = counted(policyFailure);
    expect(failed).toBe(policyFailure.policy.failed.length);
    expect(renderMarkdown(policyFailure).split('\n')[0]).toBe('### tls-floor: ❌ policy failed (the floor held)');
    expect(evidenceFails(policyFailure)).toBe(true);
  });

  it("fail-on-downgrade: false tolerates the floor policy's failure in the counts as in the exit", async () => {
    const downgrade = await probeReport(new NodeClient(process.execPath), { probeMode: 'both' });
    expect(downgrade.policy.failed).toEqual(['floor.refuse-below-floor']);
    expect(counted(downgrade).failed).toBe(1);
    const tolerated = { ...downgrade, outcome: runOutcome(downgrade, false) };
    expect(tolerated.outcome).toMatchObject({ fails: false, downgradeTolerated: true });
    const line = counted(tolerated).line;
    expect(line).not.toMatch(/❌/);
    expect(line).toMatch(/⚠️ 1 MUST failed, tolerated \(fail-on-downgrade: false\)/);
    expect(renderMarkdown(tolerated).split('\n')[0]).toBe(
      '### tls-floor: ⚠️ downgrade, tolerated (fail-on-downgrade: false)',
    );
    // The merge judges the evidence itself, fail-on-downgrade on: a job may tolerate, the evidence still fails.
    expect(evidenceFails(tolerated)).toBe(true);
    // The log's policy line counts the same way.
    expect(renderTextTable(tolerated)).toContain(
      'policies floor: 1 pass, 0 fail, 0 warn, 0 untestable, 0 not applicable, 1 failed, tolerated (fail-on-downgrade: false)',
    );
    expect(renderTextTable(downgrade)).toContain(
      'policies floor: 1 pass, 1 fail, 0 warn, 0 untestable, 0 not applicable',
    );
  });
});

describe('the report renders: no policy table behind the views', () => {
  it('src/report/ imports nothing from src/policies/ (the SARIF rule catalogue is handed in by the merge action)', () => {
    const folder = path.resolve('src/report');
    const importers = readdirSync(folder)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '\.\.\/policies\//.test(readFileSync(path.join(folder, f), 'utf8')));
    expect(importers).toEqual([]);
  });
});
