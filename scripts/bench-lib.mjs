// Helpers shared by the benchmark scripts (bench.mjs, bench-build.mjs, bench-archive.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, runnerInputEnv } from './runner-inputs.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = path.join(root, 'dist', 'index.js');

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

/** The environment of one action run: inputs as the runner passes them (action.yml's defaults for the rest). */
export function actionEnv(inputs, extra = {}, actionYml = undefined) {
  const temp = mkdtempSync(path.join(tmpdir(), 'tls-floor-bench-'));
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')),
  );
  const env = {
    ...base,
    ...runnerInputEnv(inputs, actionDefaults(actionYml)),
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: path.join(temp, 'out'),
    GITHUB_STEP_SUMMARY: path.join(temp, 'summary'),
    GITHUB_PATH: path.join(temp, 'path'),
    GITHUB_ENV: path.join(temp, 'env'),
    ...extra,
  };
  for (const file of [env.GITHUB_OUTPUT, env.GITHUB_STEP_SUMMARY, env.GITHUB_PATH, env.GITHUB_ENV])
    writeFileSync(file, '');
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

/**
 * Runs dist/index.js once as the runner would; throws when the job fails. Asynchronous on
 * purpose: the benchmarks serve the tarballs from this process, and a spawnSync would block
 * the very server the action downloads from.
 */
export async function runActionOnce(inputs, extraEnv, action = {}) {
  const bundle = action.root ? path.join(action.root, 'dist', 'index.js') : dist;
  const env = actionEnv(inputs, extraEnv, action.root && path.join(action.root, 'action.yml'));
  const t = performance.now();
  // With /usr/bin/time: the CPU seconds of the run and its children (a figure a loaded machine inflates less than wall time).
  const timed = action.cpu && existsSync('/usr/bin/time');
  const argv = [action.node ?? process.execPath, bundle];
  const child = timed
    ? spawn('/usr/bin/time', ['-f', 'cpu %U %S', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout = (stdout + d).slice(-100_000)));
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-10_000)));
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const secs = (performance.now() - t) / 1000;
  const text = readFileSync(env.GITHUB_OUTPUT, 'utf8');
  const outputs = Object.fromEntries(
    [...text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
  );
  if (status !== 0 && !action.allowFailure) throw new Error(`action run failed:\n${stdout.slice(-3000)}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(stderr);
  return {
    secs,
    status,
    outputs,
    temp: env.RUNNER_TEMP,
    stdout,
    ...(cpu ? { cpu: { user: Number(cpu[1]), sys: Number(cpu[2]) } } : {}),
  };
}

/** The version scripts/fetch-test-sources.sh fetched for a line (.cache/sources/versions.json). */
export function fetchedVersion(project, line) {
  const file = path.join(root, '.cache', 'sources', 'versions.json');
  const version = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8'))[project]?.[line] : undefined;
  if (!version) throw new Error(`no fetched ${project} ${line}: run scripts/fetch-test-sources.sh`);
  return version;
}
