import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/policies/policies.js';
import { POLICY_IDS } from '../../src/policies/rules.js';
import type { Report } from '../../src/report/report.js';
import { ACTION_NODE, type ActionRun, MERGE_ACTION_YML, ROOT, runAction, runActionYml } from '../fixtures/action.js';
import { CMARK_GFM, renderGfm } from '../fixtures/browser.js';
import { requiredOnCi, requirePath } from '../fixtures/requirements.js';

// Reports someone else wrote, as the merge action (its real bundle, as the runner runs it) meets
// them: the payloads of issue 28 (workflow commands, forged rows, raw HTML, CR, XML-invalid
// characters), mistyped and deeply nested files, a relabelled downgrade, matrices of 1, 21 and
// 64 jobs against code scanning's limits, sizes past GitHub's, and issue 30's matrix labels.
// The reports are real ones (the main bundle on loopback), edited as an attacker would.

const PYTHON = requirePath('/usr/bin/python3', "Debian's python3 (OpenSSL 3.0: its strict context completes TLS 1.0)");
const KNOWN_RULES = Object.values(POLICIES)
  .filter((p) => p.id !== 'floor')
  .flatMap((p) => p.rules.map((r) => r.id));
const hasCmark = requiredOnCi('cmark-gfm', Boolean(CMARK_GFM), 'apt-get install -y cmark-gfm');

const env = (job: string): NodeJS.ProcessEnv => ({
  GITHUB_REPOSITORY: 'acme/payments',
  GITHUB_RUN_ID: '4242',
  GITHUB_JOB: job,
  GITHUB_WORKFLOW_REF: 'acme/payments/.github/workflows/tls.yml@refs/heads/main',
});

// What the runner passes for `label: ${{ toJSON(matrix) }}` in two legs that differ only in a matrix value.
const LEG = (flavour: string) => `{\n  "node": "24",\n  "flavour": "${flavour}"\n}`;

let pass: Report;
let downgrade: Report;
let everyPolicy: Report;
const legs: Record<string, string> = {};
const jobs: Record<string, ActionRun> = {};

beforeAll(async () => {
  const runs = {
    pass: runAction({ client: 'node', 'client-path': ACTION_NODE, 'probe-mode': 'default' }, env('tls')),
    downgrade: runAction({ 'python-path': PYTHON }, env('tls')),
    everyPolicy: runAction({ 'python-path': PYTHON, policy: POLICY_IDS.join(' ') }, env('tls')),
    legA: runAction(
      { client: 'node', 'client-path': ACTION_NODE, 'probe-mode': 'default', label: LEG('a') },
      env('tls'),
    ),
    legB: runAction(
      { client: 'node', 'client-path': ACTION_NODE, 'probe-mode': 'default', label: LEG('b') },
      env('tls'),
    ),
  };
  for (const [name, run] of Object.entries(runs)) jobs[name] = await run;
  const text = (name: string) => readFileSync(jobs[name]!.outputs['report-path']!, 'utf8');
  pass = JSON.parse(text('pass'));
  downgrade = JSON.parse(text('downgrade'));
  everyPolicy = JSON.parse(text('everyPolicy'));
  legs['a'] = text('legA');
  legs['b'] = text('legB');
}, 180_000);

const clone = (report: Report): Report => structuredClone(report);

/** A workspace holding these files (relative path: content), and the merge action run over `glob` in it. */
async function mergeFiles(files: Record<string, string | Buffer>, inputs: Record<string, string> = {}) {
  const ws = mkdtempSync(path.join(tmpdir(), 'tls-floor-hostile-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    writeFileSync(path.join(ws, name), content);
  }
  return runActionYml(
    MERGE_ACTION_YML,
    { reports: 'r/**/*.json', ...inputs },
    { ...env('evidence'), GITHUB_WORKSPACE: ws },
  );
}

/** Every line of the log the runner would read as a workflow command, but the merge's own (and @actions/glob's debug lines). */
const foreignCommands = (stdout: string) =>
  stdout
    .split(/\r?\n|\r/)
    .filter((line) => line.trim().startsWith('::') || line.includes('##['))
    .filter((line) => !/^::(warning|error)::(tls-floor merge|reports): |^::debug::/.test(line));

const read = (file: string) => readFileSync(file, 'utf8');

const COMMANDS = [
  '\n::add-mask::hunter2',
  '\n::stop-commands::tok3n',
  '\n::warning::forged warning',
  '\n::error::forged error',
  '\r::error::after a bare CR',
];
const FORGED_ROW = ' |\n| prod-deploy | CPython 3.13 | 1.2 | both | floor | ✅ pass | - | - |';
const HTML_NAME = '</sub></td></tr></table><h2>FORGED ✅ 4 of 4 jobs passed</h2><img src=x onerror=alert(1)>';

/** The pass report with every payload in the policy list, a rule id, a warned rule and the job name. */
function hostile(payload: string, job: string): Report {
  const r = clone(pass);
  r.run.job = job;
  r.run.label = `leg${payload}`;
  r.policy.policies = [...r.policy.policies, `pol${payload}`];
  const template = r.policy.results[0]!;
  r.policy.results.push(
    { ...template, policy: 'floor', rule: `rule${payload}`, status: 'untestable', sentence: `said${payload}` },
    {
      ...template,
      policy: 'rfc9325',
      rule: `warned${payload}`,
      level: 'SHOULD',
      status: 'warn',
      sentence: `w${payload}`,
    },
  );
  r.policy.warned = [...r.policy.warned, `warned${payload}`];
  return r;
}

describe('foreign text in reports (issue 28)', () => {
  let merged: ActionRun;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    COMMANDS.forEach((payload, i) => {
      files[`r/cmd-${i}/report.json`] = JSON.stringify(hostile(payload, `job${payload}`));
    });
    files['r/row/report.json'] = JSON.stringify(hostile(FORGED_ROW, `deploy${FORGED_ROW}`));
    files['r/html/report.json'] = JSON.stringify(hostile(HTML_NAME, HTML_NAME));
    const failing = clone(downgrade);
    failing.run.job = `a\rb | ✅ pass |${FORGED_ROW}`;
    failing.run.label = `bare\rCR${FORGED_ROW}`;
    files['r/failing/report.json'] = JSON.stringify(failing);
    merged = await mergeFiles(files);
  }, 60_000);

  it('issue no workflow command from a report in the merge log', () => {
    expect(merged.code).toBe(1);
    expect(foreignCommands(merged.stdout)).toEqual([]);
    // The log copy shows the report's text as text (no entities), each `::` broken by a zero-width space.
    expect(merged.stdout).toContain(
      '| leg :\u200b:add-mask:\u200b:hunter2<br><sub>job job :\u200b:add-mask:\u200b:hunter2 · cmd-0</sub> |',
    );
    for (const word of ['add-mask', 'stop-commands']) {
      for (const line of merged.stdout.split(/\r?\n|\r/)) expect(line.trim().startsWith(`::${word}`)).toBe(false);
    }
  });

  it('keep the summary one row per job: no forged row, no empty verdict cell', () => {
    const lines = merged.summary.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| Job |'));
    const rows = lines.slice(head + 2, lines.indexOf('', head));
    expect(rows).toHaveLength(8);
    expect(merged.summary.split('\n').filter((l) => l.startsWith('| prod-deploy'))).toEqual([]);
    const failing = rows[0]!.split(' | ');
    expect(failing[5]).toMatch(/❌ downgrade/);
  });

  it.skipIf(!hasCmark)('render no raw HTML and no forged row (cmark-gfm with GitHub options)', () => {
    const html = renderGfm(merged.summary);
    expect(html).not.toMatch(/<h2>|<img|<\/table>\s*<h2/);
    expect(html.match(/<table>/g)).toHaveLength(1);
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)).toHaveLength(8);
    expect(body).not.toMatch(/<td>prod-deploy<\/td>/);
    // The failing row's verdict cell holds its verdict.
    expect(body.split('</tr>')[0]).toMatch(/<td>❌ downgrade/);
  });

  it('write JUnit that a strict XML parser reads, and SARIF messages on one line', () => {
    const xml = read(merged.outputs['junit-path']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
    for (const r of sarif.runs[0]!.results!) expect(r.message.text).not.toMatch(/[\r\n]/);
  });
});

describe("a report's workflow file in SARIF", () => {
  it('is used where it is a workflow file, never a path out of .github/workflows', async () => {
    const out = clone(downgrade);
    out.run.workflowRef = 'acme/payments/.github/workflows/../../../etc/passwd.yml@refs/heads/main';
    out.run.label = 'out';
    const own = clone(downgrade);
    own.run.workflowRef = 'acme/payments/.github/workflows/nightly.yml@refs/heads/main';
    own.run.label = 'own';
    const merged = await mergeFiles({
      'r/out/report.json': JSON.stringify(out),
      'r/own/report.json': JSON.stringify(own),
    });
    const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
    const uri = (job: string) =>
      sarif.runs[0]!.results!.find((r) => r.properties?.['job'] === job)!.locations![0]!.physicalLocation!
        .artifactLocation!.uri;
    expect(uri('own')).toBe('.github/workflows/nightly.yml');
    // The merge job's own workflow instead.
    expect(uri('out')).toBe('.github/workflows/tls.yml');
  });
});

describe('JUnit with characters XML 1.0 does not allow', () => {
  it('is well-formed: U+FFFE, U+FFFF, C0 controls and a lone surrogate are shown, not written', async () => {
    const r = hostile('\uFFFE\uFFFF\u0001\uD800', 'job\uFFFF');
    r.summary = 'summary \uFFFE';
    const merged = await mergeFiles({ 'r/a/report.json': JSON.stringify(r) });
    const xml = read(merged.outputs['junit-path']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('\\ufffe');
    expect(xml).not.toMatch(/[\uFFFE\uFFFF]/);
  });
});

describe('reports that are not what they say (validate before trusting)', () => {
  const at = (r: Record<string, unknown>, key: string) => r[key] as Record<string, unknown>;
  const mistyped: Record<string, (r: Record<string, unknown>) => void> = {
    'policies-number': (r) => {
      at(r, 'policy')['policies'] = 5;
    },
    'results-object': (r) => {
      at(r, 'policy')['results'] = {};
    },
    'version-number': (r) => {
      at(r, 'runtime')['version'] = 7;
    },
    'no-policy': (r) => {
      delete r['policy'];
    },
    'handshake-string': (r) => {
      (r['handshakes'] as unknown[])[0] = 'connected';
    },
  };

  it('names each mistyped file in one line, merges the good one, and fails the step', async () => {
    const files: Record<string, string> = { 'r/good/report.json': JSON.stringify(pass) };
    for (const [name, edit] of Object.entries(mistyped)) {
      const r = clone(pass) as unknown as Record<string, unknown>;
      edit(r);
      files[`r/${name}/report.json`] = JSON.stringify(r);
    }
    const merged = await mergeFiles(files);
    expect(merged.stdout).not.toMatch(/is not a function|Cannot read properties|Maximum call stack/);
    for (const name of Object.keys(mistyped)) {
      expect(merged.stdout).toMatch(
        new RegExp(
          `::warning::tls-floor merge: r/${name}/report\\.json is refused: a tls-floor report that does not match its format: report\\.`,
        ),
      );
    }
    expect(merged.summary).toMatch(/^### tls-floor evidence: ✅ 1 of 1 jobs passed/);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toMatch(
      /::error::tls-floor merge: the evidence fails for .*r\/policies-number\/report\.json/,
    );
    const tolerated = await mergeFiles(files, { 'fail-on-failure': 'false' });
    expect(tolerated.code).toBe(0);
  });

  it('refuses 200,000 nested [ and an 8 MB report 300 arrays deep without crashing, and merges the rest', async () => {
    const deep = clone(pass) as unknown as Record<string, unknown>;
    let nest: unknown = 'x'.repeat(8 * 1024 * 1024);
    for (let i = 0; i < 300; i++) nest = [nest];
    deep['context'] = { nest };
    const merged = await mergeFiles({
      'r/good/report.json': JSON.stringify(pass),
      'r/brackets/report.json': '['.repeat(200_000),
      'r/deep/report.json': JSON.stringify(deep),
    });
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('r/brackets/report.json is refused: nested more than 32 deep');
    expect(merged.stdout).toContain('r/deep/report.json is refused: nested more than 32 deep');
    expect(merged.summary).toMatch(/^### tls-floor evidence: ✅ 1 of 1 jobs passed/);
  }, 60_000);

  it('does not echo a 3 MB format value', async () => {
    const r = clone(pass) as unknown as Record<string, unknown>;
    r['format'] = 'v'.repeat(3 * 1024 * 1024);
    const merged = await mergeFiles({
      'r/good/report.json': JSON.stringify(pass),
      'r/big/report.json': JSON.stringify(r),
    });
    expect(merged.stdout.length).toBeLessThan(200_000);
    expect(merged.summary.length).toBeLessThan(200_000);
    expect(merged.stdout).toMatch(
      /r\/big\/report\.json is refused: a tls-floor report of format v+\.\.\. \(3145728 characters\); this version reads format 2/,
    );
  });

  it('does not believe a relabelled downgrade: its handshakes prove the strict client completed TLS 1.0', async () => {
    const relabelled = clone(downgrade);
    relabelled.verdict = 'pass';
    relabelled.findings = [];
    relabelled.summary = 'Every deciding client held the floor.';
    const strictTls1 = downgrade.handshakes.find((h) => h.server === 'TLSv1' && h.client === 'strict')!;
    expect(strictTls1).toMatchObject({ outcome: 'connected', agreement: 'confirmed', version: 'TLSv1' });
    const bare = clone(downgrade);
    bare.verdict = 'pass';
    bare.findings = [];
    bare.handshakes = [];
    const merged = await mergeFiles({
      'r/relabelled/report.json': JSON.stringify(relabelled),
      'r/bare/report.json': JSON.stringify(bare),
      'r/honest/report.json': JSON.stringify(pass),
    });
    expect(merged.code).toBe(1);
    expect(merged.outputs['failed-jobs']).toBe('2');
    expect(merged.stdout).toMatch(
      /::warning::tls-floor merge: r\/relabelled\/report\.json: the report contradicts its evidence: the report says pass, but its handshakes and the servers' records prove downgrade \(The (default|strict) client completed a handshake with the TLSv1-only server/,
    );
    expect(merged.stdout).toMatch(
      /r\/bare\/report\.json: the report contradicts its evidence: the report says pass but carries no handshakes/,
    );
    expect(merged.summary).toContain('❌ contradicted: the report says pass, its evidence ❌ downgrade');
    const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
    const errors = sarif.runs[0]!.results!.filter((r) => r.level === 'error' && r.ruleId === 'tls-floor.verdict');
    expect(errors).toHaveLength(2);
  });

  it('believes the real reports: none of them contradicts its evidence', async () => {
    // Every policy: rules on every server kind, the ClientHello's facts and FIPS (which cannot be recomputed).
    expect(everyPolicy.policy.failed.length).toBeGreaterThan(1);
    const merged = await mergeFiles({
      'r/pass/report.json': JSON.stringify(pass),
      'r/downgrade/report.json': JSON.stringify(downgrade),
      'r/every-policy/report.json': JSON.stringify(everyPolicy),
    });
    expect(merged.stdout).not.toContain('contradicts');
    expect(merged.outputs['failed-jobs']).toBe('2');
  });
});

const SCHEMA = JSON.parse(read(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json')));
const validateSarif = new AjvDraft04.default({ allErrors: true, strict: false }).compile(SCHEMA);

/** Code scanning's documented limits (docs.github.com, "SARIF results exceed limit", "SARIF file is too large"). */
function withinCodeScanningLimits(file: string): void {
  const text = read(file);
  const sarif = JSON.parse(text) as Log;
  expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
  expect(sarif.runs.length).toBeLessThanOrEqual(20);
  expect(gzipSync(text).length).toBeLessThan(10 * 1024 * 1024);
  const categories = sarif.runs.map((r) => r.automationDetails?.id);
  expect(new Set(categories).size).toBe(sarif.runs.length);
  for (const run of sarif.runs) {
    expect(run.results!.length).toBeLessThanOrEqual(25_000);
    expect(run.tool.driver.rules!.length).toBeLessThanOrEqual(25_000);
    for (const rule of run.tool.driver.rules!) expect((rule.properties?.tags ?? []).length).toBeLessThanOrEqual(20);
    for (const result of run.results!) expect(result.locations!.length).toBeLessThanOrEqual(1000);
  }
}

describe('SARIF within code scanning limits for any matrix size', () => {
  const matrix = (n: number, label: (i: number) => string) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const r = clone(i % 2 ? downgrade : pass);
      r.run.label = label(i);
      files[`r/job-${i}/report.json`] = JSON.stringify(r);
    }
    return files;
  };

  for (const n of [1, 21, 64]) {
    it(`${n} job(s): one upload, a category per job in the results`, async () => {
      const merged = await mergeFiles(matrix(n, (i) => `leg ${i}`));
      withinCodeScanningLimits(merged.outputs['sarif-path']!);
      const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
      const jobCategories = new Set(sarif.runs[0]!.results!.map((r) => r.properties?.['jobCategory']));
      // Every failing job has results (the passing node jobs have none).
      expect(jobCategories.size).toBe(Math.floor(n / 2));
      const aggregate = JSON.parse(read(merged.outputs['report-path']!));
      expect(new Set(aggregate.jobs.map((j: { category: string }) => j.category)).size).toBe(n);
    }, 60_000);
  }

  it('gives "deploy prod", "deploy-prod" and "Deploy_Prod" categories of their own', async () => {
    const names = ['deploy prod', 'deploy-prod', 'Deploy_Prod'];
    const files: Record<string, string> = {};
    names.forEach((name, i) => {
      const r = clone(downgrade);
      r.run.label = name;
      files[`r/${i}/report.json`] = JSON.stringify(r);
    });
    const merged = await mergeFiles(files);
    const aggregate = JSON.parse(read(merged.outputs['report-path']!));
    const categories = aggregate.jobs.map((j: { category: string }) => j.category);
    expect(new Set(categories).size).toBe(3);
    for (const c of categories) expect(c).toMatch(/^tls-floor\/deploy-prod-[0-9a-f]{10}$/);
    const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
    expect(new Set(sarif.runs[0]!.results!.map((r) => r.properties?.['jobCategory'])).size).toBe(3);
    expect(new Set(sarif.runs[0]!.results!.map((r) => r.partialFingerprints?.['tlsFloorJob/v1'])).size).toBe(3);
  });
});

describe('size caps', () => {
  it('a long job name and 120 long warned rules per job, 200 jobs: SARIF, summary and JUnit stay bounded', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) {
      const r = clone(pass);
      r.run.job = `${i}`.padEnd(1000, 'j');
      r.run.label = `${i}`.padEnd(1000, 'n');
      const template = r.policy.results[0]!;
      for (let k = 0; k < 120; k++) {
        // Every rule the action knows (SARIF has results for those), then long made-up ids.
        const rule = KNOWN_RULES[k] ?? `rfc9325.r${k}`.padEnd(1000, 'r');
        const sentence = 's'.repeat(1000);
        r.policy.results.push({ ...template, policy: 'rfc9325', rule, level: 'SHOULD', status: 'warn', sentence });
        r.policy.warned.push(rule);
      }
      files[`r/${i}/report.json`] = JSON.stringify(r);
    }
    const merged = await mergeFiles(files);
    expect(merged.code).toBe(0);
    expect(Buffer.byteLength(merged.summary)).toBeLessThan(1024 * 1024);
    expect(merged.summary).toMatch(
      /Details: \d+ more not shown \(the summary stays under GitHub's 1 MiB; report-path has them all\)/,
    );
    withinCodeScanningLimits(merged.outputs['sarif-path']!);
    // 200 jobs x every known rule warned: at most 5,000 results and 8 MiB of them are written, the rest counted.
    const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
    const all = 200 * KNOWN_RULES.length;
    const written = sarif.runs[0]!.results!.length;
    expect(written).toBeGreaterThan(1000);
    expect(written).toBeLessThanOrEqual(5000);
    expect(sarif.runs[0]!.properties?.['omittedResults']).toMatch(
      new RegExp(`^${all - written} of ${all} results left out`),
    );
    expect(merged.stdout).toContain(
      `::warning::tls-floor merge: SARIF: ${all - written} results left out (code scanning's limits).`,
    );
    const junit = read(merged.outputs['junit-path']!);
    expect(junit.length).toBeLessThan(40 * 1024 * 1024);
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toMatch(/\d+ rule results left out: this JUnit file stays under 33554432 bytes/);
  }, 180_000);

  it('a 2 MiB job name is refused by the format, named in one short line', async () => {
    const r = clone(pass);
    r.run.job = 'j'.repeat(2 * 1024 * 1024);
    const merged = await mergeFiles({
      'r/good/report.json': JSON.stringify(pass),
      'r/big/report.json': JSON.stringify(r),
    });
    const line = merged.stdout.split('\n').find((l) => l.includes('r/big/report.json is refused'))!;
    expect(line).toContain('report.run.job has 2097152 characters, more than 1024');
    expect(line.length).toBeLessThan(400);
    expect(merged.stdout.length).toBeLessThan(100_000);
  });
});

describe('a label for each job (issue 30)', () => {
  it('the label input names the run in the report: the matrix values the runner passes', () => {
    expect(JSON.parse(legs['a']!).run.label).toBe('node=24, flavour=a');
    expect(JSON.parse(legs['b']!).run.label).toBe('node=24, flavour=b');
    // Outside a matrix (the default unevaluated here, `null` in the runner): the runtime, floor and mode.
    expect(pass.run.label).toMatch(/^Node\.js .* \(OpenSSL .*\) · floor TLS 1\.2 · probe-mode default$/);
  });

  it('two legs differing only in matrix values: different labels in the summary, SARIF and JUnit, whatever the glob order', async () => {
    const failing = (text: string) => {
      // Node's strict client is not deciding in probe-mode default: relabel a downgrade so both legs have SARIF results.
      const r = clone(downgrade);
      r.run.label = JSON.parse(text).run.label;
      return JSON.stringify(r);
    };
    const views = [];
    for (const [first, second] of [
      ['a', 'b'],
      ['b', 'a'],
    ]) {
      const merged = await mergeFiles({
        'r/1/report.json': failing(legs[first!]!),
        'r/2/report.json': failing(legs[second!]!),
      });
      const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
      const junit = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        isArray: (n) => n === 'testsuite',
      }).parse(read(merged.outputs['junit-path']!));
      const rows = merged.summary.split('\n').filter((l) => l.startsWith('| node=24'));
      views.push({
        rows: rows.map((r) => r.split(' | ')[0]!),
        categories: [...new Set(sarif.runs[0]!.results!.map((r) => r.properties?.['jobCategory']))],
        suites: junit.testsuites.testsuite.map((s: { name: string }) => s.name),
      });
    }
    expect(views[0]!.rows).toEqual([
      '| node=24, flavour=a<br><sub>job tls · 1</sub>',
      '| node=24, flavour=b<br><sub>job tls · 2</sub>',
    ]);
    expect(views[0]!.suites).toEqual(['node=24, flavour=a', 'node=24, flavour=b']);
    expect(views[0]!.categories).toHaveLength(2);
    expect(views[1]!.suites).toEqual(views[0]!.suites);
    expect(views[1]!.categories).toEqual(views[0]!.categories);
    expect(views[1]!.rows.map((r) => r.split('<br>')[0])).toEqual(views[0]!.rows.map((r) => r.split('<br>')[0]));
  });
});
