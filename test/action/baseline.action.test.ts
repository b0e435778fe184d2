import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cbomOf } from '../../src/report/cbom.js';
import type { Report } from '../../src/report/report.js';
import { type ActionRun, MERGE_ACTION_YML, runAction, runActionYml } from '../fixtures/action.js';
import { cyclonedxProblems } from '../fixtures/cyclonedx.js';
import { childProcesses } from '../fixtures/processes.js';
import { optional } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The baseline and the CBOM through the bundle, as Actions runs it, on the machine's real
// /usr/bin/python3 (its verdict is not what is tested here: fail-on-downgrade: false keeps a
// downgrade from failing the step, so the exit code says what the baseline did). The other
// runtime is the same interpreter under an OpenSSL configuration that changes what its default
// context offers (what a base-image update does), and, where pyenv has them, CPython 3.12 and 3.8.

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const PYTHON = '/usr/bin/python3';
const base = { 'python-path': PYTHON, 'fail-on-downgrade': 'false', libraries: 'none' };
const report = (run: ActionRun): Report => JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
const commands = (run: ActionRun) => run.stdout.split('\n').filter((l) => l.startsWith('::'));

/** An OpenSSL configuration that narrows the default context's TLS 1.3 suites and groups. */
function narrowedOpenssl(folder: string): string {
  const file = path.join(folder, 'openssl.cnf');
  writeFileSync(
    file,
    [
      'openssl_conf = conf',
      '[conf]',
      'ssl_conf = ssl',
      '[ssl]',
      'system_default = sys',
      '[sys]',
      'Ciphersuites = TLS_AES_128_GCM_SHA256',
      'Groups = P-256:X25519',
      '',
    ].join('\n'),
  );
  return file;
}

describe('baseline: the TLS posture, committed and compared', () => {
  it('a missing baseline is written; the same runtime again gives no difference and the same bytes', async () => {
    const workspace = temporaryFolder('tls-floor-workspace-');
    const env = { GITHUB_WORKSPACE: workspace };
    const first = await runAction({ ...base, baseline: 'tls/posture.json' }, env);
    // Its folder must exist: the action writes the file, not a tree of folders.
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^::error::baseline: cannot read tls\/posture\.json \(ENOENT\)/m);

    const written = await runAction({ ...base, baseline: 'posture.json' }, env);
    expect(written.code, written.stdout.slice(-2000)).toBe(0);
    const file = path.join(workspace, 'posture.json');
    expect(written.outputs['baseline-path']).toBe(file);
    expect(written.outputs['baseline-drift']).toBe('false');
    expect(written.stdout).toMatch(/^::notice::tls-floor baseline: posture\.json did not exist; wrote .* Commit it/m);
    const posture = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(posture.clients)).toEqual(expect.arrayContaining(['default', 'strict']));
    expect(posture.clients.default.offered.versions).toContain('TLSv1.3');
    // No port, time or path of the run in it.
    expect(readFileSync(file, 'utf8')).not.toMatch(/"port"|createdAt|\d{4}-\d\d-\d\dT|\/tmp\//);

    const again = await runAction({ ...base, baseline: 'posture.json' }, env);
    expect(again.code, again.stdout.slice(-2000)).toBe(0);
    expect(again.outputs['baseline-drift']).toBe('false');
    expect(again.stdout).toMatch(/^tls-floor baseline: the TLS posture is the same as posture\.json\.$/m);
    // A second run's posture, written afresh elsewhere, is byte-identical.
    const other = temporaryFolder('tls-floor-workspace-');
    const rewritten = await runAction({ ...base, baseline: 'posture.json' }, { GITHUB_WORKSPACE: other });
    expect(rewritten.code).toBe(0);
    expect(readFileSync(path.join(other, 'posture.json'), 'utf8')).toBe(readFileSync(file, 'utf8'));
  });

  it('another posture fails the step with a diff naming the client and what it no longer offers; warn and update do what they say', async () => {
    const workspace = temporaryFolder('tls-floor-workspace-');
    const env = { GITHUB_WORKSPACE: workspace };
    expect((await runAction({ ...base, baseline: 'posture.json' }, env)).code).toBe(0);
    const before = readFileSync(path.join(workspace, 'posture.json'), 'utf8');
    const narrowed = { ...env, OPENSSL_CONF: narrowedOpenssl(temporaryFolder('tls-floor-openssl-conf-')) };

    const drift = await runAction({ ...base, baseline: 'posture.json' }, narrowed);
    expect(drift.code).toBe(1);
    expect(drift.outputs['baseline-drift']).toBe('true');
    expect(drift.stdout).toMatch(/^ {2}− suite TLS_AES_256_GCM_SHA384 no longer offered by default$/m);
    expect(drift.stdout).toMatch(/^ {2}− suite TLS_CHACHA20_POLY1305_SHA256 no longer offered by default$/m);
    expect(commands(drift).at(-1)).toMatch(
      /^::error::tls-floor: the TLS posture drifted from the baseline posture\.json \(\d+ differences; baseline-mode: fail\)$/,
    );
    expect(drift.summary).toMatch(/^### Baseline$/m);
    expect(drift.summary).toMatch(/^- − suite TLS&#95;AES&#95;256&#95;GCM&#95;SHA384 no longer offered by default$/m);
    expect(readFileSync(path.join(workspace, 'posture.json'), 'utf8')).toBe(before); // compared, not rewritten

    const warned = await runAction({ ...base, baseline: 'posture.json', 'baseline-mode': 'warn' }, narrowed);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(
      /^::warning::tls-floor baseline: the TLS posture differs from posture\.json in \d+ differences\.$/m,
    );

    const updated = await runAction({ ...base, baseline: 'posture.json', 'baseline-mode': 'update' }, narrowed);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/^::notice::tls-floor baseline: \d+ differences from posture\.json; rewritten/m);
    const after = JSON.parse(readFileSync(path.join(workspace, 'posture.json'), 'utf8'));
    expect(after.clients.default.offered.suites).not.toContain('TLS_AES_256_GCM_SHA384');
    expect((await runAction({ ...base, baseline: 'posture.json' }, narrowed)).code).toBe(0);
  });

  const pyenv = (v: string) => `/root/.pyenv/versions/${v}/bin/python`;
  const [py312, py38] = ['3.12.1', '3.8.18'].map(pyenv) as [string, string];
  it.runIf(
    optional(
      'pyenv 3.12 and 3.8',
      'a baseline of one CPython compared with another',
      existsSync(py312) && existsSync(py38),
    ),
  )(
    'a baseline of CPython 3.12 fails on CPython 3.8 with the runtime and the versions and suites that changed',
    async () => {
      const workspace = temporaryFolder('tls-floor-workspace-');
      const env = { GITHUB_WORKSPACE: workspace };
      expect((await runAction({ ...base, 'python-path': py312, baseline: 'posture.json' }, env)).code).toBe(0);
      const drift = await runAction({ ...base, 'python-path': py38, baseline: 'posture.json' }, env);
      expect(drift.code).toBe(1);
      expect(drift.stdout).toMatch(/^ {2}~ runtime: CPython 3\.12\.1 on .* → CPython 3\.8\.18 on /m);
      expect(drift.stdout).toMatch(/^ {2}[+−] (version|suite) \S+ (no longer )?offered by (default|strict)$/m);
    },
  );

  it('refuses a baseline outside the workspace, or one that is not a posture, in one line', async () => {
    const workspace = temporaryFolder('tls-floor-workspace-');
    writeFileSync(path.join(workspace, 'not.json'), '{"a": 1}');
    const outside = await runAction({ ...base, baseline: '../escape.json' }, { GITHUB_WORKSPACE: workspace });
    expect(outside.code).toBe(1);
    expect(commands(outside)).toEqual([
      expect.stringMatching(
        /^::error::baseline: \.\.\/escape\.json is outside the workspace .*; give a file inside it\.$/,
      ),
    ]);
    const wrong = await runAction({ ...base, baseline: 'not.json' }, { GITHUB_WORKSPACE: workspace });
    expect(commands(wrong).at(-1)).toBe(
      '::error::baseline: not.json is not a baseline (it is not a tls-floor posture of format 1); remove it to write a new one.',
    );
  });
});

describe('cbom-path: a CycloneDX 1.6 CBOM beside the JSON report', () => {
  it('validates against the CycloneDX 1.6 schema and lists every suite each client offered, per version', async () => {
    const run = await runAction({ ...base });
    const cbom = JSON.parse(readFileSync(run.outputs['cbom-path'] ?? '', 'utf8'));
    expect(cyclonedxProblems(cbom)).toEqual([]);
    const r = report(run);
    for (const [client, hellos] of Object.entries(r.clientHelloFacts)) {
      const offered = new Set(hellos.flatMap((h) => h.facts.suites).filter((s) => !s.endsWith('_SCSV')));
      const listed = new Set(
        cbom.components
          .filter((c: { properties?: { name: string; value: string }[] }) =>
            c.properties?.some((p) => p.name === 'tls-floor:offered-by' && p.value === client),
          )
          .flatMap((c: { cryptoProperties: { protocolProperties: { cipherSuites: { name: string }[] } } }) =>
            c.cryptoProperties.protocolProperties.cipherSuites.map((s) => s.name),
          ),
      );
      expect([...listed].sort(), client).toEqual([...offered].sort());
    }
    const certificates = cbom.components.filter(
      (c: { cryptoProperties?: { assetType: string } }) => c.cryptoProperties?.assetType === 'certificate',
    );
    expect(certificates).toHaveLength(2);
    // One CBOM for a matrix: the components of each job under its own bom-refs, still valid.
    const merged = cbomOf(
      [
        { label: 'leg 1', report: r },
        { label: 'leg 2', report: r },
      ],
      'test',
    );
    expect(cyclonedxProblems(merged)).toEqual([]);
    expect(new Set(merged.components.map((c) => c['bom-ref'])).size).toBe(merged.components.length);
  });
});

describe('the merge action gathers the baselines and makes one CBOM for the matrix', () => {
  it('a drifted leg is listed with its differences; the matrix CBOM validates and names every leg', async () => {
    const workspace = temporaryFolder('tls-floor-workspace-');
    const env = { GITHUB_WORKSPACE: workspace };
    const narrowed = { ...env, OPENSSL_CONF: narrowedOpenssl(temporaryFolder('tls-floor-openssl-conf-')) };
    const legs = [
      await runAction({ ...base, baseline: 'posture.json', label: 'leg stock' }, env),
      await runAction({ ...base, baseline: 'posture.json', 'baseline-mode': 'warn', label: 'leg narrowed' }, narrowed),
    ];
    const evidence = temporaryFolder('tls-floor-evidence-');
    legs.forEach((leg, i) => {
      mkdirSync(path.join(evidence, 'r', `leg${i}`), { recursive: true });
      copyFileSync(leg.outputs['report-path']!, path.join(evidence, 'r', `leg${i}`, 'report.json'));
    });
    const merged = await runActionYml(
      MERGE_ACTION_YML,
      { reports: 'r/**/*.json', 'fail-on-failure': 'false' },
      { GITHUB_WORKSPACE: evidence },
    );
    expect(merged.summary).toMatch(/^Baseline drift:$/m);
    expect(merged.summary).toMatch(/^- \*\*leg narrowed\*\*: posture\.json differs, \d+ difference\(s\)$/m);
    expect(merged.summary).not.toMatch(/\*\*leg stock\*\*: posture/);
    const cbom = JSON.parse(readFileSync(merged.outputs['cbom-path']!, 'utf8'));
    expect(cyclonedxProblems(cbom)).toEqual([]);
    const jobs = cbom.metadata.properties.map((p: { value: string }) => p.value).sort();
    expect(jobs).toEqual(['leg narrowed', 'leg stock']);
    const platforms = cbom.components.filter((c: { type: string }) => c.type === 'platform');
    expect(platforms).toHaveLength(2);
  });
});
