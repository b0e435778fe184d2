import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastStepLog, readWorkflow, runScript, standInGh, step } from '../../scripts/publish-rehearsal.mjs';
import { ROOT } from '../fixtures/action.js';
import { requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// publish-runtimes.yml run after run, its catalog, release and index steps read from the
// workflow and run as written (bash, jq, node, the repository's scripts) against a stand-in gh
// (scripts/gh-standin.sh: GitHub's release service cannot run here). The archives stand in for
// built cells: what these steps read of one is its manifest (versions, identity, platform,
// verdict) and its bytes. The real build, install and probe of a cell are the rehearsal's
// (test/publish-rehearsal.test.ts): there a second publish installs the published identity and
// builds nothing, and a cell the index lacks builds.
requireTool('jq', 'the workflow steps read releases.json with jq (as on GitHub runners)');
const workflow = readWorkflow();

interface Cell {
  python: string;
  floor: string;
  arch: string;
}

/** What the naming step leaves for one built cell: the archive, its manifest, its .sha256. */
function builtCell(folder: string, cell: Cell): string {
  const variant = `${cell.arch}-tls${cell.floor}-openssl3.5.7-${createHash('sha256').update(JSON.stringify(cell)).digest('hex').slice(0, 12)}`;
  const name = `tls-floor-cpython-${cell.python}-openssl-3.5.7-tls${cell.floor}-linux-${cell.arch}-ubuntu-24.04.tar.zst`;
  const bytes = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from(JSON.stringify(cell))]);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, name), bytes);
  const identity = { format: 3, python: cell.python, floor: cell.floor, arch: cell.arch, osRelease: 'ubuntu-24.04' };
  const manifest = {
    createdAt: '2026-12-07T00:00:00Z',
    plan: {
      floor: cell.floor,
      platform: { os: 'linux', osRelease: 'ubuntu-24.04', arch: cell.arch },
      python: { source: { version: cell.python }, entry: { variant, identity } },
      openssl: {
        source: { version: '3.5.7' },
        entry: { identity: { format: 3, openssl: '3.5.7', floor: cell.floor } },
      },
    },
    report: { verdict: 'pass' },
  };
  writeFileSync(path.join(folder, `${name}.manifest.json`), JSON.stringify(manifest));
  const digest = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(path.join(folder, `${name}.sha256`), `${digest}  ${name}\n`);
  return name;
}

/** One run of the workflow after its build jobs: the cells that built, through catalog, release and index. */
async function publish(state: string, run: string, built: Cell[]) {
  const gh = standInGh(state);
  const checkout = path.join(run, 'checkout');
  mkdirSync(checkout, { recursive: true });
  cpSync(path.join(ROOT, 'scripts'), path.join(checkout, 'scripts'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules')); // the job's npm ci
  for (const cell of built) builtCell(path.join(checkout, 'release'), cell);
  const catalog = await runScript(step(workflow, 'catalog', 'index'), {}, checkout, {
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/tls-floor',
  });
  let release = 'no release job';
  if (catalog['built'] !== '0') {
    await runScript(step(workflow, 'release', 'create'), { 'needs.matrix.outputs.sha': 'abc' }, checkout, gh);
    release = lastStepLog().trim().split('\n').pop() ?? '';
  }
  // The index job, on the default branch (its in-tree index as the state it was left in).
  const tree = path.join(state, 'default-branch');
  mkdirSync(path.join(tree, 'runtimes'), { recursive: true });
  if (!existsSync(path.join(tree, 'runtimes', 'index.json')))
    writeFileSync(path.join(tree, 'runtimes', 'index.json'), '{"format": 1, "runtimes": []}\n');
  rmSync(path.join(tree, 'scripts'), { recursive: true, force: true });
  cpSync(path.join(ROOT, 'scripts'), path.join(tree, 'scripts'), { recursive: true });
  // The index job runs no npm ci: its steps need no dependency.
  cpSync(path.join(checkout, 'release', 'index.json'), path.join(tree, 'new', 'index.json'));
  await runScript(step(workflow, 'index', 'update'), {}, tree, gh);
  await runScript(step(workflow, 'index', 'rolling'), {}, tree, gh);
  for (const scratch of ['new', 'published']) rmSync(path.join(tree, scratch), { recursive: true, force: true });
  return {
    built: Number(catalog['built']),
    release,
    index: readFileSync(path.join(tree, 'runtimes', 'index.json'), 'utf8'),
    rolling: readFileSync(path.join(state, 'releases', 'runtimes-index', 'index.json'), 'utf8'),
    releases: readdirSync(path.join(state, 'releases'))
      .filter((r) => r !== 'runtimes-index')
      .sort(),
  };
}

const A: Cell = { python: '3.13.15', floor: '1.2', arch: 'x64' };
const B: Cell = { python: '3.13.15', floor: '1.3', arch: 'x64' };
const C: Cell = { python: '3.12.12', floor: '1.2', arch: 'arm64' };

describe('publish-runtimes.yml, run after run', () => {
  it('a second publish of the same content the same day creates nothing, fails nothing, and leaves the index byte-identical', async () => {
    const state = temporaryFolder('tls-floor-publish-state-');
    const first = await publish(state, temporaryFolder('tls-floor-publish-run-'), [A, B]);
    expect(first.built).toBe(2);
    expect(first.release).toBe('releases: 2 created, 0 already published');
    expect(first.releases).toHaveLength(2);
    expect(first.releases.every((r) => /^cpython-3\.13\.15-x64-tls1\.[23]-openssl3\.5\.7-[0-9a-f]{12}$/.test(r))).toBe(
      true,
    );
    const listed = JSON.parse(first.index).runtimes as { url: string }[];
    expect(listed.map((r) => r.url.split('/').slice(-2, -1)[0]).sort()).toEqual(first.releases);
    expect(first.rolling).toBe(first.index);

    const second = await publish(state, temporaryFolder('tls-floor-publish-run-'), [A, B]);
    expect(second.release).toBe('releases: 0 created, 2 already published');
    expect(second.releases).toEqual(first.releases);
    expect(second.index).toBe(first.index);
  });

  it('a cell that failed does not stop the others from being released and listed; the rerun adds only it', async () => {
    const state = temporaryFolder('tls-floor-publish-state-');
    // C failed: its artifact is missing, the others were built.
    const partial = await publish(state, temporaryFolder('tls-floor-publish-run-'), [A, B]);
    expect(JSON.parse(partial.index).runtimes).toHaveLength(2);
    // The rerun of the failed job: only C built (A and B were installed from the published index).
    const rerun = await publish(state, temporaryFolder('tls-floor-publish-run-'), [C]);
    expect(rerun.release).toBe('releases: 1 created, 0 already published');
    const runtimes = JSON.parse(rerun.index).runtimes as { python: string; floor: string }[];
    expect(runtimes.map((r) => `${r.python}/${r.floor}`).sort()).toEqual(['3.12.12/1.2', '3.13.15/1.2', '3.13.15/1.3']);
    expect(rerun.rolling).toBe(rerun.index);
  });

  it('a run whose every cell was published already (or failed) releases nothing', async () => {
    const state = temporaryFolder('tls-floor-publish-state-');
    const run = temporaryFolder('tls-floor-publish-run-');
    const nothing = await publish(state, run, []);
    expect(nothing.built).toBe(0);
    expect(nothing.release).toBe('no release job');
    expect(JSON.parse(nothing.index).runtimes).toEqual([]);
  });

  it('publishes whatever was built even when cells failed, and never on a cancelled run', () => {
    const jobs = workflow.jobs;
    expect(jobs['catalog']!.if).toMatch(/!cancelled\(\)/);
    expect(jobs['release']!.if).toMatch(/!cancelled\(\).*needs\.catalog\.result == 'success'/);
    expect(jobs['index']!.if).toMatch(/!cancelled\(\).*needs\.release\.result == 'success'/);
    // Not a release of the action: runtimes have their own cycle, started by what should be prebuilt.
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    const paths = (workflow.on['push'] as { paths: string[] }).paths;
    expect(paths).toEqual(
      expect.arrayContaining([
        'src/runtime/**',
        'scripts/publish-matrix.mjs',
        '.github/workflows/publish-runtimes.yml',
      ]),
    );
    // The build step asks the published index first; only a build goes on to be named, attested and uploaded.
    const build = jobs['build']!.steps;
    const expression = (inner: string) => ['$', '{{ ', inner, ' }}'].join('');
    expect(build.find((s) => s.id === 'runtime')!.with!['runtime-index']).toBe(
      expression('steps.published.outputs.index'),
    );
    for (const s of build.filter((x) => x.id === 'named' || /attest-build-provenance/.test(x.uses ?? '')))
      expect(s.if).toBe(expression("steps.runtime.outputs.runtime-source == 'built'"));
  });
});
