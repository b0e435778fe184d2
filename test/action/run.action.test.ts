import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { planFromInputs } from '../../src/runtime/obtain.js';
import { semverOf } from '../../src/runtime/toolcache.js';
import { ACTION_NODE, runAction } from '../fixtures/action.js';
import { pythonTooOld, pythonWithoutSsl, systemPython } from '../fixtures/interpreters.js';
import { childProcesses } from '../fixtures/processes.js';
import { requiredOnCi } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('dist/index.js run as the runner runs it', () => {
  it('fails the job on a downgrade and writes outputs, summary and report', async () => {
    const run = await runAction({ 'python-path': systemPython(), 'probe-mode': 'strict' });
    expect(run.code).not.toBe(0);
    expect(run.outputs['verdict']).toBe('downgrade');
    expect(run.outputs['negotiated-version']).toBe('TLSv1.3');
    const reportPath = run.outputs['report-path'] ?? '';
    expect(reportPath.startsWith(path.join(run.runnerTemp, 'tls-floor'))).toBe(true);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({
      verdict: 'downgrade',
      floor: '1.2',
      probeMode: 'strict',
      runtime: { kind: 'python' },
    });
    expect(
      report.handshakes.find((h: { server: string; client: string }) => h.server === 'TLSv1' && h.client === 'strict'),
    ).toMatchObject({ expected: 'refuse', outcome: 'connected', version: 'TLSv1' });
    expect(run.summary).toMatch(/^### tls-floor: ❌ downgrade/);
    expect(run.summary).toMatch(/\| TLSv1 only \| reached TLSv1 \| .* \| ❌ TLSv1 \|/);
    expect(run.stdout).toMatch(
      /::error::tls-floor: downgrade: The strict client completed a handshake with the TLSv1-only server/,
    );
    expect(run.stdout).toMatch(/tls-floor verdict: DOWNGRADE/);
    // One decision (judgement/outcome.ts): the counts say what policy-failures says.
    expect(run.outputs['policy-failures']).toBe('floor.refuse-below-floor');
    expect(run.summary).toMatch(/^\*\*Policy rules: ❌ 1 MUST failed · ✅ 1 passed\*\*$/m);
  });

  it('passes in default mode and exits 0', async () => {
    // Node.js's default client (minimum TLS 1.2); Debian's python3 default context has no
    // minimum version and completes static RSA at TLS 1.0 (issue 27).
    const run = await runAction({ client: 'node', 'client-path': process.execPath, 'probe-mode': 'default' });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('pass');
    expect(run.summary).toMatch(/^### tls-floor: ✅ pass/);
    expect(run.outputs['policy-failures']).toBe('');
    expect(run.summary).not.toMatch(/MUST failed/);
  });

  it('with python-path, sets python-path, python-version and cache-hit as setup-python does', async () => {
    // The truth: the interpreter's own word, asked apart from the action.
    const [executable, version] = execFileSync(
      systemPython(),
      ['-c', 'import sys, platform; print(sys.executable); print(platform.python_version())'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    const run = await runAction({
      'python-path': systemPython(),
      'probe-mode': 'default',
      'fail-on-downgrade': 'false',
    });
    expect(run.outputs).toMatchObject({ 'python-path': executable, 'python-version': version, 'cache-hit': 'true' });
    expect(run.outputs['tool-path']).toBeUndefined();
    // Nothing was obtained: PATH and the environment are left alone, update-environment or not.
    expect(run.path).toEqual([]);
    expect(run.exported).toEqual({});
  });

  it("refuses setup-python's cache: pip in one line naming where it belongs and runtime-cache", async () => {
    const run = await runAction({ cache: 'pip' });
    expect(run.code).not.toBe(0);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      "::error::cache: 'pip' is setup-python's pip download cache, which tls-floor does not do; give cache: pip to actions/setup-python (this action's runtime cache is runtime-cache).",
    ]);
  });

  it('reports a downgrade without failing when fail-on-downgrade is false', async () => {
    const run = await runAction({
      'python-path': systemPython(),
      'min-tls-version': '1.3',
      'fail-on-downgrade': 'false',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('downgrade');
    expect(run.outputs['negotiated-version']).toBe('TLSv1.3');
    expect(run.stdout).toMatch(/::warning::Downgrade \(fail-on-downgrade is false\)/);
    // The summary says what the exit code did: tolerated, not failed.
    expect(run.summary).toMatch(/^### tls-floor: ⚠️ downgrade, tolerated \(fail-on-downgrade: false\)$/m);
    expect(run.outputs['policy-failures']).toBe('floor.refuse-below-floor');
    expect(run.summary).toMatch(
      /^\*\*Policy rules: ⚠️ 1 MUST failed, tolerated \(fail-on-downgrade: false\) · ✅ 1 passed\*\*$/m,
    );
  });
});

describe('bad input: one line naming the input, a failed job, nothing left behind', () => {
  const notExecutable = () => {
    const file = path.join(temporaryFolder('tls-floor-'), 'python3');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o644);
    return file;
  };
  const cases: Array<[string, () => Record<string, string>, RegExp]> = [
    [
      'a missing python-path',
      () => ({ 'python-path': '/nonexistent/python3' }),
      /^::error::python-path: \/nonexistent\/python3 does not exist; give a path/m,
    ],
    [
      'a command not on PATH',
      () => ({ 'python-path': 'no-such-python-here' }),
      /^::error::python-path: 'no-such-python-here' is not on PATH/m,
    ],
    [
      'a non-executable python-path',
      () => ({ 'python-path': notExecutable() }),
      /^::error::python-path: .* is not executable/m,
    ],
    [
      'a Python without ssl',
      () => ({ 'python-path': pythonWithoutSsl() }),
      /^::error::python-path: .* has no ssl module/m,
    ],
    [
      'a Python older than 3.6',
      () => ({ 'python-path': pythonTooOld() }),
      /^::error::python-path: .* is Python 3\.5\.9; Python 3\.6 or later is required\./m,
    ],
    [
      'a min-tls-version of 1.1',
      () => ({ 'python-path': 'python3', 'min-tls-version': '1.1' }),
      /^::error::min-tls-version: '1\.1' is not allowed; use 1\.2, 1\.3 \(default 1\.2\)\./m,
    ],
    [
      'a probe-mode of lenient',
      () => ({ 'python-path': 'python3', 'probe-mode': 'lenient' }),
      /^::error::probe-mode: 'lenient' is not allowed; use both, strict, default \(default both\)\./m,
    ],
    [
      'a fail-on-downgrade of maybe',
      () => ({ 'python-path': 'python3', 'fail-on-downgrade': 'maybe' }),
      /^::error::fail-on-downgrade: 'maybe' is not allowed; use true, false/m,
    ],
    // Inputs that the others would make meaningless (the runner's defaults are not the user's).
    [
      'python-version with python-path',
      () => ({ 'python-path': 'python3', 'python-version': '3.11.2' }),
      /^::error::python-version: ignored with python-path \(nothing is built when python-path is given\); remove one of them\.$/m,
    ],
    [
      'cache: false with python-path',
      () => ({ 'python-path': 'python3', cache: 'false' }),
      /^::error::cache: ignored with python-path \(nothing is built when python-path is given\); remove one of them\.$/m,
    ],
    [
      'runtime-archive-url with python-path',
      () => ({
        'python-path': 'python3',
        'runtime-archive-url': 'https://127.0.0.1:9/r.tar.gz',
        'runtime-archive-sha256': 'a'.repeat(64),
      }),
      /^::error::runtime-archive-url: ignored with python-path/m,
    ],
    [
      'python-source-url with runtime-archive-url',
      () => ({
        'runtime-archive-url': 'http://127.0.0.1:9/r.tar.gz',
        'runtime-archive-sha256': 'a'.repeat(64),
        'python-source-url': 'http://127.0.0.1:9/Python-{version}.tgz',
      }),
      /^::error::python-source-url: ignored with runtime-archive-url \(nothing is built when an archive is installed\); remove one of them\.$/m,
    ],
  ];
  it.each(cases)('%s', async (_name, inputs, message) => {
    const run = await runAction(inputs());
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(message);
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(run.outputs['verdict']).toBeUndefined();
    expect(existsSync(path.join(run.runnerTemp, 'tls-floor'))).toBe(false);
  });
});

// The real install of a built archive is in test/runtime/build.action.test.ts (a build: minutes). Here
// an archive whose manifest is what create-archive writes for CPython 3.11.2 on OpenSSL 3.0.22,
// but whose folders are empty: enough to see which versions it is judged by.
describe('an archive given by runtime-archive-url and runtime-archive-sha256 alone', () => {
  const archiveOf = async (toolCache: string) => {
    const versions: Record<string, string> = { 'python-version': '3.11.2', 'openssl-version': '3.0.22' };
    const plan = await planFromInputs((await readInputs((name) => versions[name] ?? '')).build, '1.2');
    const { jobs: _jobs, ...portable } = plan;
    const members = [plan.openssl.entry, plan.python.entry].map((e) =>
      path.join(e.tool, semverOf(e.version), e.variant),
    );
    const staging = temporaryFolder('tls-floor-archive-');
    for (const member of members) mkdirSync(path.join(staging, member), { recursive: true });
    const manifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      plan: portable,
      toolCacheRoot: toolCache,
      members,
      report: {},
    };
    writeFileSync(path.join(staging, 'tls-floor-runtime.json'), JSON.stringify(manifest));
    const file = path.join(staging, 'runtime.tar.gz');
    execFileSync('tar', ['-czf', file, '-C', staging, 'tls-floor-runtime.json', ...members]);
    return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  };

  it('is judged by its own versions; versions the user gives must match them', async () => {
    const toolCache = temporaryFolder('tls-floor-toolcache-');
    const archive = await archiveOf(toolCache);
    const given = { 'runtime-archive-url': archive.file, 'runtime-archive-sha256': archive.sha256 };
    const alone = await runAction(given, { RUNNER_TOOL_CACHE: toolCache });
    // Past the manifest (no "not the requested 3.13.5"), to the install, where the empty folders fail verification.
    expect(alone.stdout).not.toMatch(/not the requested/);
    expect(alone.stdout).toMatch(/^::group::Install and verify the runtime archive/m);
    expect(alone.code).not.toBe(0);
    const pinned = await runAction({ ...given, 'python-version': '3.13.5' }, { RUNNER_TOOL_CACHE: toolCache });
    expect(pinned.code).not.toBe(0);
    expect(pinned.stdout).toMatch(
      /^::error::runtime-archive-url: the archive is refused: it holds CPython 3\.11\.2, not the requested 3\.13\.5\.$/m,
    );
  });
});

// Where the fetch script got Node.js 24 (Linux x64/arm64), every run of the bundle above used it.
describe.skipIf(
  !requiredOnCi(
    'Node.js 24',
    ACTION_NODE !== process.execPath,
    '.cache/node24 is missing: run scripts/fetch-test-sources.sh',
  ),
)('on Node.js 24, the runtime action.yml names', () => {
  it('is what runs the bundle', () => {
    expect(execFileSync(ACTION_NODE, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });

  it('Node.js 24 as the client: strict is a downgrade (TLS 1.0 at @SECLEVEL=0), default passes', async () => {
    const strict = await runAction({
      client: 'node',
      'client-path': ACTION_NODE,
      'probe-mode': 'strict',
      'fail-on-downgrade': 'false',
    });
    expect(strict.outputs['verdict']).toBe('downgrade');
    expect(JSON.parse(readFileSync(strict.outputs['report-path']!, 'utf8')).runtime.version).toMatch(/^Node\.js 24\./);
    const byDefault = await runAction({ client: 'node', 'client-path': ACTION_NODE, 'probe-mode': 'default' });
    expect([byDefault.code, byDefault.outputs['verdict']]).toEqual([0, 'pass']);
  });
});
