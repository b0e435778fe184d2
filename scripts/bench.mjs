#!/usr/bin/env node
// Benchmarks, printed as figures (no timed assertions anywhere).
//   npm run bench               the probe-only action run vs. bare start-up of python and node
//   npm run bench -- build      cold build the recipe's way vs. the action's way, cache-hit run
//   npm run bench -- archive    archive size and an install-from-archive run
// Each section measures its baseline in the same run.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'index.js');

/** Runs a command under getrusage: wall ms and the peak RSS (MiB) of its largest process. */
export function measure(argv, env = process.env) {
  const wrapper = [
    'import json, resource, subprocess, sys, time',
    't = time.perf_counter()',
    'p = subprocess.run(json.loads(sys.argv[1]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)',
    'ms = (time.perf_counter() - t) * 1000',
    'print(json.dumps({"ms": ms, "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "code": p.returncode}))',
  ].join('\n');
  const out = spawnSync('python3', ['-c', wrapper, JSON.stringify(argv)], { env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`measure failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

export function actionEnv(inputs, extra = {}) {
  const temp = mkdtempSync(path.join(tmpdir(), 'tls-floor-bench-'));
  const env = { ...process.env, RUNNER_TEMP: temp, GITHUB_OUTPUT: path.join(temp, 'out'), GITHUB_STEP_SUMMARY: path.join(temp, 'summary'), ...extra };
  writeFileSync(env.GITHUB_OUTPUT, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

/** Serves the files of one folder on 127.0.0.1 (source tarballs, archives). */
export function serveDir(dir) {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.basename(new URL(req.url, 'http://x').pathname));
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs dist/index.js once as the runner would; throws when the job fails. */
export function runActionOnce(inputs, extraEnv) {
  const env = actionEnv(inputs, extraEnv);
  const t = performance.now();
  const r = spawnSync(process.execPath, [dist], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const secs = (performance.now() - t) / 1000;
  const text = readFileSync(env.GITHUB_OUTPUT, 'utf8');
  const outputs = Object.fromEntries([...text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]));
  if (r.status !== 0) throw new Error(`action run failed:\n${r.stdout.slice(-3000)}`);
  return { secs, outputs, temp: env.RUNNER_TEMP };
}

const fmt = (s) => `median ${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;

function benchProbe(rounds = 10) {
  // The real executable, not a pyenv shim (a shim alone costs ~0.3 s per start).
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  const runs = { python: [], node: [], action: [] };
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
  }
  const action = stats(runs.action);
  const py = stats(runs.python);
  const node = stats(runs.node);
  console.log(`probe benchmark (${rounds} rounds, ${python}; both phases, both clients, all controls, floor 1.2)`);
  console.log(`  bare python -c 'import ssl'   ${fmt(py)}`);
  console.log(`  bare node -e 0                 ${fmt(node)}`);
  console.log(`  action run (dist/index.js)     ${fmt(action)}   exit code ${code} (1 = the verdict failed the job)`);
  console.log(`  overhead over python + node    ${(action.median - py.median - node.median).toFixed(0)} ms`);
  console.log(`  peak RSS (largest process)     ${rss.toFixed(1)} MiB`);
  console.log(`  target: action run < 500 ms -> ${action.median < 500 ? 'met' : 'NOT met'}`);
}

const section = process.argv[2] ?? 'probe';
if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // imported by bench-build.mjs / bench-archive.mjs for the helpers above
} else if (section === 'probe') benchProbe();
else if (section === 'build' || section === 'archive') {
  const mod = await import(path.join(root, 'scripts', `bench-${section}.mjs`));
  await mod.main();
} else {
  console.error(`unknown section '${section}': probe, build or archive`);
  process.exit(2);
}
