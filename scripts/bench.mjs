#!/usr/bin/env node
// Benchmarks, printed as figures (no timed assertions anywhere).
//   npm run bench               the probe-only action run vs. bare start-up of python and node, and
//                               vs. a baseline ref's bundle (BENCH_BASELINE, default 45907f5: before issue 27)
//   npm run bench -- baseline   that comparison alone
//   npm run bench -- build      cold build the recipe's way vs. the action's way, cache-hit run
//   npm run bench -- archive    archive size and an install-from-archive run
//   npm run bench -- prebuilt   first run from a runtime index vs. a cold build, same run
//   npm run bench -- speed      ordinary Python: the optimized and default runtimes vs. a reference interpreter
// Each section measures its baseline in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionEnv, dist, measure, root, stats } from './bench-lib.mjs';

// Every policy at once: every policy server (weak suites, SHA-1 signatures, certificates, TLS 1.3,
// hybrid post-quantum), each with its control.
const ALL_POLICIES = 'rfc9325,nist-800-52r2,mozilla-intermediate,mozilla-modern,pq-hybrid,pci-dss-4';

// Node.js 24 (as Actions runs the bundle) where present: its OpenSSL 3.5 serves the hybrid-PQ-only server.
const NODE24 = path.join(root, '.cache', 'node24', 'bin', 'node');
const policyNode = existsSync(NODE24) ? NODE24 : process.execPath;

// The probe as it was before issue 27 (one ECDSA legacy server per version): the baseline of the
// interleaved probe-only comparison. Any ref with a dist/ works: BENCH_BASELINE=<ref>.
const BASELINE_REF = process.env.BENCH_BASELINE || '45907f5';

/**
 * The baseline ref's action (action.yml and dist/, the bundle as it was committed), unpacked with
 * git archive into a temporary folder; undefined, with the reason printed, where the ref is not in
 * this clone.
 */
function baselineAction(ref) {
  try {
    execFileSync('git', ['-C', root, 'cat-file', '-e', `${ref}^{commit}`], { stdio: 'ignore' });
  } catch {
    console.log(`  (baseline ${ref} is not in this clone: no comparison; set BENCH_BASELINE to a ref that is)`);
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tls-floor-baseline-'));
  const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', ref, 'action.yml', 'dist'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  return dir;
}

/**
 * The probe-only run of `python-path: python3` (every other input at action.yml's default), the
 * baseline's bundle and this tree's, interleaved (the order alternates each round) on Node.js 24:
 * medians, spread and the ratio; issue 27's target is at most 1.5x.
 */
function probeAgainstBaseline(python, rounds) {
  const base = baselineAction(BASELINE_REF);
  if (!base) return;
  const bundles = {
    baseline: { bundle: path.join(base, 'dist', 'index.js'), yml: path.join(base, 'action.yml') },
    now: { bundle: dist, yml: path.join(root, 'action.yml') },
  };
  const runs = { baseline: [], now: [] };
  const codes = {};
  try {
    for (let i = 0; i < rounds; i++) {
      for (const name of i % 2 ? ['now', 'baseline'] : ['baseline', 'now']) {
        const env = actionEnv({ 'python-path': python }, {}, bundles[name].yml);
        const r = measure([policyNode, bundles[name].bundle], env);
        runs[name].push(r.ms);
        codes[name] = r.code;
        rmSync(env.RUNNER_TEMP, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const b = stats(runs.baseline);
  const n = stats(runs.now);
  const ratio = n.median / b.median;
  const perRound = stats(runs.now.map((ms, i) => ms / runs.baseline[i]));
  console.log(
    `probe-only run vs. ${BASELINE_REF} (${rounds} rounds interleaved, python-path: ${python}, all defaults)`,
  );
  console.log(`  baseline ${BASELINE_REF} dist/index.js ${fmt(b)}   exit code ${codes.baseline}`);
  console.log(`  this tree's dist/index.js      ${fmt(n)}   exit code ${codes.now}`);
  console.log(
    `  ratio of medians              ${ratio.toFixed(2)}x (per round: median ${perRound.median.toFixed(2)}x, min ${perRound.min.toFixed(2)}, max ${perRound.max.toFixed(2)})`,
  );
  console.log(`  target: at most 1.5x the baseline -> ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
}

const fmt = (s) => `median ${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;

/** python3's real executable, not a pyenv shim (a shim alone costs ~0.3 s per start). */
function realPython() {
  return spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
}

function benchProbe(rounds = 10) {
  const python = realPython();
  const runs = { python: [], node: [], action: [], policies: [] };
  let rss = 0;
  let code;
  for (let i = 0; i < rounds; i++) {
    runs.python.push(measure([python, '-c', 'import ssl']).ms);
    runs.node.push(measure([process.execPath, '-e', '0']).ms);
    const env = actionEnv({ 'python-path': python, 'probe-mode': 'both' });
    const r = measure([process.execPath, dist], env);
    runs.action.push(r.ms);
    rmSync(env.RUNNER_TEMP, { recursive: true, force: true });
    rss = Math.max(rss, r.rss);
    code = r.code;
    const all = actionEnv({ 'python-path': python, 'probe-mode': 'both', policy: ALL_POLICIES });
    runs.policies.push(measure([policyNode, dist], all).ms);
    rmSync(all.RUNNER_TEMP, { recursive: true, force: true });
  }
  const action = stats(runs.action);
  const py = stats(runs.python);
  const node = stats(runs.node);
  console.log(`probe benchmark (${rounds} rounds, ${python}; both phases, both clients, all controls, floor 1.2)`);
  console.log(`  bare python -c 'import ssl'   ${fmt(py)}`);
  console.log(`  bare node -e 0                 ${fmt(node)}`);
  console.log(`  action run (dist/index.js)     ${fmt(action)}   exit code ${code} (1 = the verdict failed the job)`);
  console.log(
    `  with every policy server         ${fmt(stats(runs.policies))}   (policy: ${ALL_POLICIES}; bundle on ${policyNode === NODE24 ? 'Node.js 24' : 'this Node.js'})`,
  );
  console.log(
    `  load average (1, 5, 15 min)    ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} on ${os.availableParallelism()} CPUs`,
  );
  console.log(`  overhead over python + node    ${(action.median - py.median - node.median).toFixed(0)} ms`);
  console.log(`  peak RSS (largest process)     ${rss.toFixed(1)} MiB`);
  console.log(`  target: action run < 500 ms -> ${action.median < 500 ? 'met' : 'NOT met'}`);
  const every = stats(runs.policies);
  console.log(`  target: every policy server < 1000 ms -> ${every.median < 1000 ? 'met' : 'NOT met'}`);
  probeAgainstBaseline(python, rounds);
}

const section = process.argv[2] ?? 'probe';
if (section === 'probe') benchProbe();
else if (section === 'baseline') probeAgainstBaseline(realPython(), 10);
else if (section === 'build' || section === 'archive' || section === 'prebuilt' || section === 'speed') {
  const mod = await import(path.join(root, 'scripts', `bench-${section}.mjs`));
  await mod.main();
} else {
  console.error(`unknown section '${section}': probe, baseline, build, archive, prebuilt or speed`);
  process.exit(2);
}
