#!/usr/bin/env node
// npm run publish-rehearsal
// The publish pipeline (.github/workflows/publish-runtimes.yml) for one cell, here, with the
// source tarballs on 127.0.0.1 (.cache/sources, from scripts/fetch-test-sources.sh). Each step
// is the workflow's own, read from the workflow file: the matrix script (over the fetched
// versions only: nothing else can be built here), the build step's inputs with create-archive,
// the naming step's script, the index step's script (the release's URLs on a loopback server),
// and the index update's script, run in a COPY of the action's tree (action.yml, dist/,
// runtimes/). Then that copy's bundle runs as a runner runs it, under another tool-cache root,
// with only `python-version: '3.13'`: it must install the prebuilt runtime (runtime-source
// prebuilt), pass, and build nothing: the source server must see no request.
// Not rehearsed (GitHub services): the attestation, the artifact transfer between jobs (a
// copy here), `gh release create` and the pull request.
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { root, runActionOnce } from './bench-lib.mjs';

const WORKFLOW = path.join(root, '.github', 'workflows', 'publish-runtimes.yml');
const SOURCES = path.join(root, '.cache', 'sources');
const NODE24 = path.join(root, '.cache', 'node24', 'bin', 'node');
/** The Node.js that runs the bundle: 24, as Actions does (runs.using: node24), where fetched. */
const actionNode = existsSync(NODE24) ? NODE24 : process.execPath;

/** A folder served on 127.0.0.1 by file name (a mirror, a release's downloads); it logs every request. */
async function serve(dir) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const name = path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    requests.push(name);
    const file = path.join(dir, name);
    if (!name || !existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** One step of the workflow, by job and step id. */
export function step(workflow, job, id) {
  const found = workflow.jobs[job]?.steps?.find((s) => s.id === id);
  if (!found) throw new Error(`publish-runtimes.yml has no step ${id} in job ${job}`);
  return found;
}

/** `${{ matrix.python }}` and the like, from a context of known values; anything else is an error. */
export function expand(value, context) {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr) => {
    if (!(expr in context)) throw new Error(`the rehearsal has no value for \${{ ${expr} }}`);
    return context[expr];
  });
}

/** Runs a step's run: script with bash, its env: expanded, GITHUB_OUTPUT collected. */
export async function runScript(s, context, cwd, extraEnv = {}) {
  const folder = mkdtempSync(path.join(tmpdir(), 'tls-floor-rehearsal-step-'));
  try {
    const output = path.join(folder, 'output');
    writeFileSync(output, '');
    const env = { ...process.env, ...extraEnv, GITHUB_OUTPUT: output };
    // The workflow's token: the stand-in gh takes any.
    const known = { 'github.token': 'rehearsal-token', ...context };
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = expand(v, known);
    const child = spawn('bash', ['-e', '-c', s.run], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`step ${s.id ?? s.name} failed (exit ${code}):\n${log}`);
    lastLog = log;
    return Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

let lastLog = '';
/** What the last step run by runScript printed. */
export const lastStepLog = () => lastLog;

/** The workflow, parsed. */
export const readWorkflow = () => parse(readFileSync(WORKFLOW, 'utf8'));

/**
 * A folder whose `gh` is the stand-in (scripts/gh-standin.sh), with its release state in
 * `state`: PATH and GH_STANDIN_STATE for runScript's extraEnv.
 */
export function standInGh(state) {
  const bin = path.join(state, 'bin');
  mkdirSync(bin, { recursive: true });
  if (!existsSync(path.join(bin, 'gh'))) symlinkSync(path.join(root, 'scripts', 'gh-standin.sh'), path.join(bin, 'gh'));
  return {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    GH_STANDIN_STATE: state,
    GITHUB_REPOSITORY: 'rehearsal/tls-floor',
  };
}

/** An archive a previous run made (its manifest beside it), to rehearse the install side quickly. */
export const REUSE_ENV = 'TLS_FLOOR_REHEARSAL_ARCHIVE';

/** A copy of that archive standing in for the build step's outputs (the naming step moves it). */
function reused(archive, work) {
  const temp = mkdtempSync(path.join(tmpdir(), 'tls-floor-rehearsal-reused-'));
  const copy = path.join(temp, path.basename(archive));
  cpSync(archive, copy);
  cpSync(`${archive}.manifest.json`, `${copy}.manifest.json`);
  const manifest = JSON.parse(readFileSync(`${archive}.manifest.json`, 'utf8'));
  return {
    secs: Number.NaN,
    outputs: { 'archive-path': copy, verdict: manifest.report?.verdict ?? 'unknown' },
    temp,
    work,
  };
}

/**
 * The rehearsal. `say` gets one line per step. Returns the cold build's run, the prebuilt
 * run of the copied tree, the index the copy holds and the requests the source server saw.
 */
export async function rehearse({ say = () => {}, reuse = process.env[REUSE_ENV], firstRuns = 1, optimize } = {}) {
  const workflow = parse(readFileSync(WORKFLOW, 'utf8'));
  const versions = path.join(SOURCES, 'versions.json');
  if (!existsSync(versions)) throw new Error('no .cache/sources/versions.json: run scripts/fetch-test-sources.sh');
  const work = mkdtempSync(path.join(tmpdir(), 'tls-floor-rehearsal-'));
  const sources = await serve(SOURCES);
  let release;
  try {
    // 1. The matrix job's script, over the table restricted to what was fetched.
    const matrix = JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'scripts', 'publish-matrix.mjs'), '--only', versions], {
        encoding: 'utf8',
      }),
    );
    const cell = matrix.include.find((c) => c.floor === '1.2');
    if (!cell) throw new Error('the matrix has no TLS 1.2 cell for the fetched versions');
    say(`matrix: ${matrix.include.length} cells over the fetched versions; rehearsing ${JSON.stringify(cell)} here`);

    // 2. The build job's action step, its with: as written, the sources on 127.0.0.1.
    const build = step(workflow, 'build', 'runtime');
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    const label = `${/^ID=(.*)$/m.exec(osRelease)?.[1] ?? 'linux'}-${/^VERSION_ID="?([^"\n]*)/m.exec(osRelease)?.[1] ?? ''}`;
    // The published index the build job reads first: none yet (the first publish).
    const gh = standInGh(path.join(work, 'gh'));
    const published = path.join(work, 'published-first', 'index.json');
    mkdirSync(path.dirname(published));
    writeFileSync(published, '{"format": 1, "runtimes": []}\n');
    const context = {
      'matrix.os': label,
      'matrix.python': cell.python,
      'matrix.openssl': cell.openssl,
      'matrix.floor': cell.floor,
      'steps.published.outputs.index': published,
    };
    const inputs = Object.fromEntries(Object.entries(build.with).map(([k, v]) => [k, expand(v, context)]));
    // The tests' shorter build: the workflow's optimize (pgo-lto) replaced, and said so.
    if (optimize && optimize !== inputs.optimize) {
      say(`build step with optimize: ${optimize} instead of the workflow's ${inputs.optimize ?? 'auto'}`);
      inputs.optimize = optimize;
    }
    const ext = (base) =>
      readdirSync(SOURCES)
        .find((f) => f.startsWith(`${base}.tar.`))
        .slice(base.length);
    inputs['python-source-url'] = `${sources.base}/Python-{version}${ext(`Python-${cell.python}`)}`;
    inputs['openssl-source-url'] = `${sources.base}/openssl-{version}${ext(`openssl-${cell.openssl}`)}`;
    const buildRoot = mkdtempSync(path.join(tmpdir(), 'tls-floor-rehearsal-build-'));
    const cold = reuse ? reused(reuse, work) : undefined;
    if (cold) say(`build: reused ${reuse} (${REUSE_ENV}): the build step itself is not rehearsed in this run`);
    else say(`build: CPython ${cell.python} + OpenSSL ${cell.openssl}, TLS ${cell.floor}, create-archive (minutes)`);
    const built =
      cold ?? (await runActionOnce(inputs, { RUNNER_TOOL_CACHE: buildRoot }, { node: actionNode, cpu: true }));
    say(
      `build: ${built.secs.toFixed(0)} s, verdict ${built.outputs.verdict}, archive ${path.basename(built.outputs['archive-path'])}`,
    );

    // 3. The naming step's script, in the job's workspace.
    const workspace = path.join(work, 'build-workspace');
    mkdirSync(workspace);
    const named = await runScript(
      step(workflow, 'build', 'named'),
      {
        ...context,
        'steps.runtime.outputs.archive-path': built.outputs['archive-path'],
      },
      workspace,
    );
    say(`named: ${named.archive}`);

    // 4. The catalog job: the artifacts merged into release/, its index step with the
    // releases' download URLs (GITHUB_SERVER_URL) on 127.0.0.1; then the release job's step
    // (one release per build identity) against the stand-in gh.
    const checkout = path.join(work, 'release-checkout');
    mkdirSync(path.join(checkout, 'release'), { recursive: true });
    cpSync(path.join(root, 'scripts'), path.join(checkout, 'scripts'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules')); // the job's npm ci
    cpSync(path.join(workspace, 'out'), path.join(checkout, 'release'), { recursive: true });
    release = await serve(path.join(checkout, 'release'));
    const catalog = await runScript(step(workflow, 'catalog', 'index'), {}, checkout, {
      GITHUB_SERVER_URL: release.base,
      GITHUB_REPOSITORY: 'rehearsal/tls-floor',
    });
    const fresh = JSON.parse(readFileSync(path.join(checkout, 'release', 'index.json'), 'utf8'));
    say(`catalog: ${catalog.built} release(s); index: ${fresh.runtimes.map((r) => r.url).join(', ')}`);
    const sha = { 'needs.matrix.outputs.sha': 'rehearsal' };
    await runScript(step(workflow, 'release', 'create'), sha, checkout, gh);
    say(`release: ${lastStepLog().trim().split('\n').pop()}`);
    rmSync(buildRoot, { recursive: true, force: true }); // the runtime must not lean on its build folder

    // 5. The index job: the published index merged with the run's, uploaded to the rolling
    // release, and written into a copy of the action's tree (the pull request's content).
    const tree = path.join(work, 'action');
    mkdirSync(tree);
    for (const part of ['action.yml', 'dist', 'runtimes', 'scripts'])
      cpSync(path.join(root, part), path.join(tree, part), { recursive: true });
    const publishIndex = async () => {
      mkdirSync(path.join(tree, 'new'), { recursive: true });
      cpSync(path.join(checkout, 'release', 'index.json'), path.join(tree, 'new', 'index.json'));
      await runScript(step(workflow, 'index', 'update'), {}, tree, gh);
      await runScript(step(workflow, 'index', 'rolling'), {}, tree, gh);
      for (const scratch of ['new', 'published']) rmSync(path.join(tree, scratch), { recursive: true, force: true });
      return readFileSync(path.join(tree, 'runtimes', 'index.json'), 'utf8');
    };
    const indexText = await publishIndex();
    const index = JSON.parse(indexText);
    say(`runtimes/index.json in the copy: ${index.runtimes.length} runtime(s)`);

    // 6. The copy's bundle, as a runner runs `uses: <owner>/tls-floor@<ref>` with one input
    // (firstRuns times, each on an empty tool cache of its own: a benchmark's spread).
    const before = sources.requests.length;
    const firsts = [];
    const installRoots = [];
    for (let i = 0; i < firstRuns; i++) {
      const installRoot = path.join(mkdtempSync(path.join(tmpdir(), 'tls-floor-rehearsal-runner-')), '_work', '_tool');
      installRoots.push(installRoot);
      const run = await runActionOnce(
        { 'python-version': '3.13' },
        { RUNNER_TOOL_CACHE: installRoot },
        { root: tree, node: actionNode, cpu: true },
      );
      firsts.push(run);
      say(
        `${i === 0 ? 'first run' : `run ${i + 1} (another empty tool cache)`} of the copy with python-version 3.13: ${run.secs.toFixed(2)} s, runtime-source ${run.outputs['runtime-source']}, verdict ${run.outputs.verdict}`,
      );
    }
    const downloaded = sources.requests.slice(before);
    say(`source downloads during the runs of the copy: ${downloaded.length}`);
    const [first] = firsts;

    // 7. A second publish of the same content (the same day): the build step installs the
    // published identity instead of building, the release step creates nothing, the index is
    // the same bytes.
    const rolling = path.join(gh.GH_STANDIN_STATE, 'releases', 'runtimes-index', 'index.json');
    const again = await runActionOnce(
      { ...inputs, 'runtime-index': rolling },
      { RUNNER_TOOL_CACHE: path.join(work, 'second-publish-tool-cache') },
      { node: actionNode },
    );
    await runScript(step(workflow, 'release', 'create'), sha, checkout, gh);
    const secondRelease = lastStepLog().trim().split('\n').pop();
    const secondIndex = await publishIndex();
    say(
      `second publish: runtime-source ${again.outputs['runtime-source']}, ${secondRelease}, index ${secondIndex === indexText ? 'unchanged' : 'CHANGED'}`,
    );
    const secondDownloads = sources.requests.slice(before + downloaded.length);

    // 8. A changed table: a cell the index does not hold (the other floor) misses and builds:
    // its source is requested (here a name the server lacks, so it stops there).
    const missed = await runActionOnce(
      {
        ...inputs,
        'runtime-index': rolling,
        'min-tls-version': cell.floor === '1.2' ? '1.3' : '1.2',
        'python-source-url': `${sources.base}/missing-{version}.tar.xz`,
      },
      { RUNNER_TOOL_CACHE: path.join(work, 'new-cell-tool-cache') },
      { node: actionNode, allowFailure: true },
    );
    say(`a cell not published: ${/no prebuilt runtime[^\n]*/.exec(missed.stdout ?? '')?.[0] ?? 'no miss line'}`);
    return {
      second: {
        run: again,
        release: secondRelease,
        indexUnchanged: secondIndex === indexText,
        downloads: secondDownloads,
      },
      newCell: missed,
      cell,
      cold: built,
      reused: Boolean(cold),
      first,
      firsts,
      index,
      downloaded,
      installRoot: installRoots[0],
      installRoots,
      tree,
      work,
    };
  } finally {
    await sources.close();
    await release?.close();
  }
}

/** Removes what a rehearsal left (its work folder, the install root, the runs' temp folders). */
export function cleanUp(result) {
  const roots = (result.installRoots ?? [result.installRoot]).map((r) => path.dirname(path.dirname(r)));
  const temps = [...(result.firsts ?? [result.first]), result.second?.run, result.newCell]
    .filter(Boolean)
    .map((run) => run.temp);
  for (const dir of [result.work, ...roots, result.cold.temp, ...temps]) rmSync(dir, { recursive: true, force: true });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    const result = await rehearse({ say: (line) => console.log(line) });
    const ok =
      result.first.outputs['runtime-source'] === 'prebuilt' &&
      result.first.outputs.verdict === 'pass' &&
      result.downloaded.length === 0;
    console.log(
      ok ? 'rehearsal: pass' : 'rehearsal: FAILED (expected runtime-source prebuilt, verdict pass, no source download)',
    );
    cleanUp(result);
    process.exit(ok ? 0 : 1);
  } catch (error) {
    console.error(`rehearsal: ${error.message}`);
    process.exit(1);
  }
}
