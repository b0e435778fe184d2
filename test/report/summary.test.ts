import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeClient } from '../../src/probe/clients/node.js';
import type { Report } from '../../src/report/report.js';
import { runContext } from '../../src/report/run.js';
import { LEGEND, renderMarkdown } from '../../src/report/summary.js';
import { childProcesses } from '../fixtures/processes.js';
import { probeReport } from '../fixtures/report.js';

// Real reports: the Node.js running the tests probed on loopback. In probe-mode both its strict
// client completes TLS 1.0 (a downgrade); in probe-mode default the floor holds, and the
// rfc9325 policy's SHOULD rules on static RSA warn (Node.js still negotiates TLS_RSA_*).
const RUN = runContext({
  GITHUB_SERVER_URL: 'http://127.0.0.1:8080',
  GITHUB_REPOSITORY: 'acme/payments',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'tls',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  ImageOS: 'ubuntu24',
  ImageVersion: '20261124.1',
  GITHUB_ACTION_REPOSITORY: 'acme/tls-floor',
  GITHUB_ACTION_REF: 'v1',
});
let downgrade: Report;
let pass: Report;
beforeAll(async () => {
  downgrade = await probeReport(new NodeClient(process.execPath), { run: RUN });
  pass = await probeReport(new NodeClient(process.execPath), {
    probeMode: 'default',
    policies: ['floor', 'rfc9325'],
    run: RUN,
  });
});
afterAll(() => {
  expect(childProcesses()).toEqual([]);
});

const md = (report: Report) => renderMarkdown(report, '/tmp/run/tls-floor/report-node-tls1.2-x.json');
const tableOf = (text: string) => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Server |'));
  return lines.slice(start, start + 2 + (text === md(downgrade) ? downgrade : pass).servers.length);
};

describe('the job summary', () => {
  it('opens with the verdict, the counts line, the runtime and the run in one line', () => {
    const lines = md(downgrade).split('\n');
    expect(lines[0]).toBe('### tls-floor: ❌ downgrade');
    expect(lines[2]).toBe('**Policy rules: ❌ 1 MUST failed · ✅ 1 passed**');
    expect(lines[4]).toMatch(/^Node\.js .* · OpenSSL .* · floor TLS 1\.2 · probe-mode `both` · policies `floor`$/);
    expect(lines[6]).toBe(
      '<sub>`acme/payments@0123456789ab` (refs/heads/main) · [run 4242](http://127.0.0.1:8080/acme/payments/actions/runs/4242)' +
        ' · job `tls` · Linux X64 ubuntu24 20261124.1 · tls-floor v1 (0.1.0)</sub>',
    );
  });

  it('says the headline once, with a hint, and not again as a policy rule', () => {
    const text = md(downgrade);
    expect(text.split(downgrade.summary).length - 1).toBe(1);
    expect(text).toContain(`- ❌ **downgrade**: ${downgrade.summary} *Hint:* raise the minimum`);
    expect(text).not.toMatch(/^- .*floor\.refuse-below-floor/m);
  });

  it('keeps cells short, gives the control no mark, and has one legend', () => {
    const table = tableOf(md(downgrade));
    expect(table[0]).toBe('| Server | `control` | `default` | `strict` |');
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    for (const row of table) expect(cells(row)).toBe(cells(table[0]!));
    expect(table.find((r) => r.startsWith('| TLSv1 only |'))).toBe(
      '| TLSv1 only | reached TLSv1 | ✅ refused | ❌ TLSv1 |',
    );
    expect(table[2]).toBe('| modern (TLS 1.2+1.3) | - | ✅ TLSv1.3 | ✅ TLSv1.3 |');
    expect(md(downgrade).split(LEGEND).length - 1).toBe(1);
  });

  it('marks a SHOULD rule that only warns with ⚠️ in the server table, never ❌', () => {
    const text = md(pass);
    const row = text.split('\n').find((l) => l.startsWith('| static-rsa-only (policy) |'))!;
    expect(row).toMatch(/^\| static-rsa-only \(policy\) \| reached TLSv1\.2 \| ⚠️ TLSv1\.2 \|/);
    expect(text).not.toMatch(/^\|.*❌/m);
    expect(text).toMatch(/^- ⚠️ \*\*`rfc9325\.no-static-rsa`\*\* .* \*Hint:\* narrow the cipher list/m);
  });

  it('on a pass, says what the strict client showed beyond the deciding default one', () => {
    const text = md(pass);
    expect(text.split('\n')[0]).toBe('### tls-floor: ✅ pass');
    expect(text).toMatch(
      /^ {2}- ⚠️ the `strict` client \(not deciding in probe-mode `default`\) completed TLSv1, TLSv1\.1: /m,
    );
  });

  it('folds the passing rules, both sides and the runtime details, and names the report, not its temporary path', () => {
    const text = md(pass);
    expect(text).toMatch(
      /<details><summary>Rules that passed \(\d+\)<\/summary>\n\n\| Rule \| Level \| Source \| Clients \|/,
    );
    const folded = text.indexOf('<summary>Rules that passed');
    expect(text.indexOf('| `rfc9325.no-null` |')).toBeGreaterThan(folded);
    expect(text).toContain('<details><summary>Both sides of each handshake');
    const json = /```json\n([\s\S]*?)\n```/.exec(text)![1]!;
    expect(JSON.parse(json)).toEqual(pass.runtime.details);
    expect(text).toContain("JSON report: `report-node-tls1.2-x.json`, the step's `report-path` output");
    expect(text).not.toContain('/tmp/run');
    expect(renderMarkdown(pass)).not.toContain('JSON report:');
  });
});
