import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/policies/policies.js';
import { POLICY_IDS } from '../../src/policies/rules.js';
import type { AggregateReport } from '../../src/report/matrix.js';
import { ACTION_NODE, type ActionRun, MERGE_ACTION_YML, ROOT, runAction, runActionYml } from '../fixtures/action.js';
import { hasBrowser, measureSummary } from '../fixtures/browser.js';
import { childProcesses } from '../fixtures/processes.js';
import { requirePath } from '../fixtures/requirements.js';

// A matrix of real jobs, each the bundle run as the runner runs it (action.yml's defaults as
// INPUT_*), with real clients on loopback, its report then laid out as actions/download-artifact
// lays out one artifact per job; then the merge action (merge/action.yml, its runs.main bundle,
// its defaults) over them.
const PYTHON = requirePath('/usr/bin/python3', "Debian's python3 (OpenSSL 3.0, no hybrid ML-KEM groups)");
const ALL_POLICIES = POLICY_IDS.join(' ');
const JOBS: Record<string, Record<string, string>> = {
  // Node.js 24 in probe-mode default: its default client holds the floor (its strict one does not).
  pass: { client: 'node', 'client-path': ACTION_NODE, 'probe-mode': 'default' },
  // Debian's CPython: its strict context completes TLS 1.0.
  downgrade: { 'python-path': PYTHON },
  // The floor holds for Node.js 20's default client, but its OpenSSL 3.0 offers no hybrid ML-KEM
  // group (MUST). (Debian's python3 default context completes static RSA at TLS 1.0: issue 27.)
  'policy-failure': { client: 'node', 'client-path': process.execPath, 'probe-mode': 'default', policy: 'pq-hybrid' },
  // A command that exits 0 without connecting anywhere: no corroborated handshake.
  inconclusive: { client: 'command', 'client-command': 'true' },
  // Every policy: the widest job summary there is.
  'every-policy': { 'python-path': PYTHON, policy: ALL_POLICIES },
};

const runEnv = (job: string): NodeJS.ProcessEnv => ({
  GITHUB_SERVER_URL: 'http://127.0.0.1:8080',
  GITHUB_REPOSITORY: 'acme/payments',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_WORKFLOW_REF: 'acme/payments/.github/workflows/tls.yml@refs/heads/main',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: job,
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  ImageOS: 'ubuntu24',
  ImageVersion: '20261124.1',
  GITHUB_ACTION_REPOSITORY: 'acme/tls-floor',
  GITHUB_ACTION_REF: 'v1',
});

let workspace: string;
const jobRuns: Record<string, ActionRun> = {};
let merged: ActionRun;

/** The merge action in `workspace`, as the runner runs a step there. */
const merge = (inputs: Record<string, string>, ws = workspace) =>
  runActionYml(MERGE_ACTION_YML, inputs, { ...runEnv('evidence'), GITHUB_WORKSPACE: ws });

beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'tls-floor-workspace-'));
  await Promise.all(
    Object.entries(JOBS).map(async ([name, inputs]) => {
      jobRuns[name] = await runAction(inputs, runEnv('tls'));
    }),
  );
  for (const name of ['pass', 'downgrade', 'policy-failure', 'inconclusive']) {
    const report = jobRuns[name]!.outputs['report-path']!;
    const dir = path.join(workspace, 'tls-floor-reports', `tls-floor-${name}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(report, path.join(dir, path.basename(report)));
  }
  // Something else a download can bring along: named and skipped, not merged.
  writeFileSync(
    path.join(workspace, 'tls-floor-reports', 'package.json'),
    readFileSync(path.join(ROOT, 'package.json')),
  );
  merged = await merge({ reports: 'tls-floor-reports/**/*.json' });
}, 180_000);
afterAll(() => {
  expect(childProcesses()).toEqual([]);
});

const read = (file: string) => readFileSync(file, 'utf8');

describe('the jobs (real reports)', () => {
  it('give the four outcomes, each report with its run metadata', () => {
    const verdicts = Object.fromEntries(Object.entries(jobRuns).map(([n, r]) => [n, r.outputs['verdict']]));
    expect(verdicts).toEqual({
      pass: 'pass',
      downgrade: 'downgrade',
      'policy-failure': 'pass',
      inconclusive: 'inconclusive',
      'every-policy': 'downgrade',
    });
    expect(jobRuns['policy-failure']!.outputs['policy-failures']).toContain('pq-hybrid.offer-group');
    const report = JSON.parse(read(jobRuns['pass']!.outputs['report-path']!));
    expect(report.format).toBe(2);
    expect(report.run).toEqual({
      repository: 'acme/payments',
      sha: '0123456789abcdef0123456789abcdef01234567',
      ref: 'refs/heads/main',
      workflowRef: 'acme/payments/.github/workflows/tls.yml@refs/heads/main',
      runId: '4242',
      runAttempt: '1',
      runUrl: 'http://127.0.0.1:8080/acme/payments/actions/runs/4242',
      job: 'tls',
      // No label given, and no matrix (the runner would pass `null`): the runtime, floor and probe mode.
      label: expect.stringMatching(/^Node\.js .* · floor TLS 1\.2 · probe-mode default$/),
      runner: { os: 'Linux', arch: 'X64', name: null, image: 'ubuntu24', imageVersion: '20261124.1' },
      action: { repository: 'acme/tls-floor', ref: 'v1', version: '0.1.0' },
    });
    expect(jobRuns['pass']!.summary).toContain('· job `tls` · Linux X64 ubuntu24 20261124.1 · tls-floor v1 (0.1.0)');
  });
});

describe('the merge action over a matrix of four jobs', () => {
  it('fails the step, since three jobs fail, and names the file that is no report', () => {
    expect(merged.code).toBe(1);
    expect(merged.stdout).toMatch(/::error::tls-floor merge: the evidence fails for /);
    expect(merged.stdout).toContain(
      '::warning::tls-floor merge: tls-floor-reports/package.json is refused: not a tls-floor report',
    );
    expect(merged.outputs['failed-jobs']).toBe('3');
    // Each real report's verdict and failed rules are what its own evidence proves.
    expect(merged.stdout).not.toContain('contradicts its evidence');
  });

  it('writes one table, a row per job, failures first', () => {
    const lines = merged.summary.split('\n');
    expect(lines[0]).toBe('### tls-floor evidence: ❌ 3 of 4 jobs failed');
    const head = lines.indexOf('| Job | Runtime | Floor | Probe mode | Policies | Verdict | MUST failed | Warnings |');
    expect(head).toBeGreaterThan(0);
    const rows = lines.slice(head + 2, head + 6);
    expect(lines[head + 6]).toBe('');
    expect(rows.at(-1)).toMatch(
      /^\| Node\.js .*<br><sub>job tls · tls-floor-pass<\/sub> \| Node\.js .* \| 1\.2 \| default \| floor \| ✅ pass \| - \| - \|$/,
    );
    const failing = rows.slice(0, 3).join('\n');
    expect(failing).toMatch(/tls-floor-downgrade<\/sub> \| CPython 3\.11.*\| ❌ downgrade \|/);
    expect(failing).toMatch(
      /tls-floor-policy-failure<\/sub> .*\| default \| pq-hybrid \| ❌ policy failed \(the floor held\) \| pq-hybrid\.offer-group/,
    );
    expect(failing).toMatch(/tls-floor-inconclusive<\/sub> .*\| ❔ inconclusive \|/);
    expect(merged.summary).toContain('- tls-floor-reports/package.json: not a tls-floor report');
  });

  it('writes one aggregate JSON report with every job whole', () => {
    const summary = JSON.parse(read(merged.outputs['report-path']!)) as AggregateReport;
    expect(summary).toMatchObject({ format: 1, tool: 'tls-floor-merge', fails: true });
    // Failures first, each group by label (never the order the glob found them).
    expect(summary.jobs.map((j) => [j.source.split('/')[1], j.verdict, j.fails])).toEqual(
      expect.arrayContaining([
        ['tls-floor-downgrade', 'downgrade', true],
        ['tls-floor-inconclusive', 'inconclusive', true],
        ['tls-floor-policy-failure', 'pass', true],
      ]),
    );
    expect(summary.jobs.at(-1)!.source).toContain('tls-floor-pass/');
    expect(summary.jobs.slice(0, 3).map((j) => j.label)).toEqual(
      summary.jobs
        .slice(0, 3)
        .map((j) => j.label)
        .sort(),
    );
    expect(summary.jobs.find((j) => j.source.includes('policy-failure'))!.failed).toEqual(
      expect.arrayContaining(['pq-hybrid.offer-group']),
    );
    expect(new Set(summary.jobs.map((j) => j.category)).size).toBe(4);
    expect(summary.refused).toEqual([
      { source: 'tls-floor-reports/package.json', reason: 'not a tls-floor report (no "tool": "tls-floor")' },
    ]);
  });

  it('writes SARIF valid against the SARIF 2.1.0 schema: one run, each job with its own category', () => {
    const schema = JSON.parse(read(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json')));
    const sarif = JSON.parse(read(merged.outputs['sarif-path']!)) as Log;
    const validate = new AjvDraft04.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]!.automationDetails?.id).toBe('tls-floor/.github-workflows-tls.yml/evidence/');
    const rules = sarif.runs[0]!.tool.driver.rules!;
    const every = Object.values(POLICIES).flatMap((p) => p.rules.map((r) => r.id));
    expect(rules.map((r) => r.id)).toEqual(['tls-floor.verdict', ...every]);
    for (const rule of rules) {
      expect(rule.help?.text).toBeTruthy();
      expect(Number(rule.properties?.['security-severity'])).toBeGreaterThan(0);
    }
    const results = sarif.runs[0]!.results!;
    const of = (folder: string) => results.filter((r) => String(r.properties?.['report']).includes(`/${folder}/`));
    const errors = (folder: string) =>
      of(folder)
        .filter((r) => r.level === 'error')
        .map((r) => r.ruleId);
    expect(errors('tls-floor-downgrade')).toEqual(['tls-floor.verdict']);
    expect(errors('tls-floor-policy-failure')).toEqual(expect.arrayContaining(['pq-hybrid.offer-group']));
    expect(errors('tls-floor-policy-failure')).not.toContain('tls-floor.verdict');
    expect(errors('tls-floor-inconclusive')).toEqual(['tls-floor.verdict']);
    expect(errors('tls-floor-pass')).toEqual([]);
    expect(new Set(results.map((r) => r.properties?.['jobCategory'])).size).toBe(3);
    const uri = of('tls-floor-downgrade')[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri;
    expect(uri).toBe('.github/workflows/tls.yml');
  });

  it('writes JUnit XML a JUnit parser reads: a suite per job, a test per rule', () => {
    const text = read(merged.outputs['junit-path']!);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(text);
    const suites = doc.testsuites.testsuite as Array<
      Record<string, unknown> & { testcase: Array<Record<string, unknown>> }
    >;
    expect(suites).toHaveLength(4);
    const summary = JSON.parse(read(merged.outputs['report-path']!)) as AggregateReport;
    suites.forEach((suite, i) => {
      const job = summary.jobs[i]!;
      expect(suite['name']).toBe(job.label);
      expect(suite.testcase.map((c) => c['name'])).toEqual([
        'tls-floor.verdict',
        ...('policy' in job.report ? job.report.policy.results : []).map((r) => r.rule),
      ]);
      expect(Number(suite['tests'])).toBe(suite.testcase.length);
      expect(Number(suite['failures'])).toBe(suite.testcase.filter((c) => c['failure'] !== undefined).length);
    });
    expect(Number(suites[0]!['failures'])).toBeGreaterThan(0);
    expect(Number(suites[3]!['failures'])).toBe(0);
    expect(Number(doc.testsuites['tests'])).toBe(suites.reduce((n, s) => n + s.testcase.length, 0));
  });
});

describe('the merge action refuses and bounds', () => {
  const matrixOf = (files: Record<string, string>) => {
    const ws = mkdtempSync(path.join(tmpdir(), 'tls-floor-workspace-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
      writeFileSync(path.join(ws, name), text);
    }
    return ws;
  };
  const passing = () => read(jobRuns['pass']!.outputs['report-path']!);

  it('passes a matrix whose evidence holds, and with fail-on-failure false only warns', async () => {
    const ws = matrixOf({ 'r/a/report.json': passing() });
    const ok = await merge({ reports: 'r/**/*.json' }, ws);
    expect(ok.code).toBe(0);
    expect(ok.summary.split('\n')[0]).toBe('### tls-floor evidence: ✅ 1 of 1 jobs passed');
    const tolerated = await merge({ reports: 'tls-floor-reports/**/*.json', 'fail-on-failure': 'false' });
    expect(tolerated.code).toBe(0);
    expect(tolerated.stdout).toMatch(
      /::warning::tls-floor merge: the evidence fails for .*\(fail-on-failure is false\)/,
    );
  });

  it('names a tls-floor report of an unknown format version and fails', async () => {
    const future = JSON.stringify({ ...JSON.parse(passing()), format: 3 });
    const ws = matrixOf({ 'r/a/report.json': passing(), 'r/b/report.json': future });
    const run = await merge({ reports: 'r/**/*.json' }, ws);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'r/b/report.json is refused: a tls-floor report of format 3; this version reads format 2',
    );
    expect(run.stdout).toMatch(/::error::tls-floor merge: the evidence fails for r\/b\/report\.json/);
  });

  it('refuses a glob outside the workspace and RUNNER_TEMP, a link, and a glob with no report', async () => {
    const outside = await merge({ reports: '/etc/**/*.json' });
    expect(outside.code).toBe(1);
    expect(outside.stdout).toContain("::error::reports: '/etc' is outside the workspace and RUNNER_TEMP");
    const ws = matrixOf({ 'r/a/report.json': passing() });
    symlinkSync('/etc/hostname', path.join(ws, 'r', 'link.json'));
    const linked = await merge({ reports: 'r/**/*.json' }, ws);
    expect(linked.code).toBe(0);
    expect(linked.stdout).toContain('r/link.json is refused: not a regular file');
    const none = await merge({ reports: 'nothing/*.json' }, ws);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('::error::reports: no tls-floor report among the 0 file(s)');
  });
});

describe.skipIf(!hasBrowser())('the summaries in a browser at 1000 px', () => {
  const shots = path.join(tmpdir(), 'tls-floor-summary-shots');
  mkdirSync(shots, { recursive: true });

  it('the job summary of a run with every policy has no horizontal overflow', async () => {
    const summary = jobRuns['every-policy']!.summary;
    expect(summary).toContain('policies `floor`, `rfc9325`');
    // A certificate server's row agrees with its rule: urllib3 checks the host name after the
    // handshake, so the server completed it, yet the client refused (no ❌ beside a passing rule).
    const report = JSON.parse(read(jobRuns['every-policy']!.outputs['report-path']!));
    const wrongHost = report.policy.results.find((r: { rule: string }) => r.rule === 'rfc9325.wrong-host');
    expect(wrongHost.status).toBe('pass');
    expect(summary.split('\n').find((l) => l.startsWith('| cert-wrong-host (policy) |'))).not.toContain('❌');
    const measured = await measureSummary(summary, 1000, {
      closed: path.join(shots, 'every-policy-closed.png'),
      open: path.join(shots, 'every-policy-open.png'),
    });
    console.log(`every-policy job summary at 1000 px: ${JSON.stringify(measured)} (screenshots in ${shots})`);
    expect(measured.viewport).toBe(1000);
    expect(measured.closed).toBeLessThanOrEqual(1000);
    expect(measured.open).toBeLessThanOrEqual(1000);
  });

  it('the matrix table has no horizontal overflow', async () => {
    const measured = await measureSummary(merged.summary, 1000, {
      closed: path.join(shots, 'matrix-closed.png'),
      open: path.join(shots, 'matrix-open.png'),
    });
    console.log(`matrix summary at 1000 px: ${JSON.stringify(measured)}`);
    expect(measured.closed).toBeLessThanOrEqual(1000);
    expect(measured.open).toBeLessThanOrEqual(1000);
  });
});
