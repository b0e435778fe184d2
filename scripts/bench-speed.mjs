// npm run bench -- speed
// Ordinary Python on the action's runtimes beside a reference interpreter of the same CPython
// version: the optimized build (optimize: pgo-lto) and the default one (optimize: none), built
// by the action itself from .cache/sources (served on 127.0.0.1) into a tool cache under
// .cache/bench-speed, where reruns find them. Each round runs the workload suite
// (scripts/speed-workloads.py) on the three interpreters in turn, the order alternating from
// round to round; a ratio is the reference's time over the runtime's (above 1: faster than the
// reference), the times being CPU seconds (speed-workloads.py says why). Printed: every round's
// workload ratios and geometric mean, then the median and the spread of the rounds' means.
//   TLS_FLOOR_SPEED_REFERENCE  the reference interpreter (default /usr/bin/python3)
//   TLS_FLOOR_SPEED_PYTHON     the CPython release (default: the reference's own version)
//   TLS_FLOOR_SPEED_ROUNDS     rounds (default 5)
//   TLS_FLOOR_SPEED_TOOLCACHE  the tool cache (default .cache/bench-speed/toolcache)
//   TLS_FLOOR_SPEED_BUILDS     which builds, by optimize value (default pgo-lto,none)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchedVersion, root, runActionOnce, serveDir, stats } from './bench-lib.mjs';

const WORKLOADS = path.join(root, 'scripts', 'speed-workloads.py');
const BUILDS = [
  { name: 'optimized', optimize: 'pgo-lto' },
  { name: 'default', optimize: 'none' },
];

/** The geometric mean of ratios. */
const geomean = (values) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
const x = (ratio) => `${ratio.toFixed(2)}x`;

function versionOf(python) {
  const out = spawnSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${python} does not run: ${out.stderr}`);
  return out.stdout.trim();
}

/** One run of the workload suite: each workload's best time in seconds. */
function runSuite(python) {
  const out = spawnSync(python, ['-I', WORKLOADS], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`the workloads failed on ${python}: ${out.stderr.slice(-2000)}`);
  return JSON.parse(out.stdout);
}

/** The CPython source file fetched for this version, and the URL template that names it. */
function sourceTemplate(name, version, port) {
  for (const ext of ['tar.xz', 'tar.gz']) {
    if (existsSync(path.join(root, '.cache', 'sources', `${name}-${version}.${ext}`)))
      return `http://127.0.0.1:${port}/${name}-{version}.${ext}`;
  }
  throw new Error(
    `no ${name}-${version} in .cache/sources: run TLS_FLOOR_EXTRA_SOURCES=1 bash scripts/fetch-test-sources.sh`,
  );
}

/** The runtime of one build, found in the tool cache or built by the action (its time printed). */
async function obtain(build, python, openssl, toolCache) {
  const server = await serveDir(path.join(root, '.cache', 'sources'));
  try {
    const { port } = server.address();
    const run = await runActionOnce(
      {
        'python-version': python,
        'openssl-version': openssl,
        optimize: build.optimize,
        'python-source-url': sourceTemplate('Python', python, port),
        'openssl-source-url': sourceTemplate('openssl', openssl, port),
        'runtime-index': 'none',
        'runtime-cache': 'false',
      },
      { RUNNER_TOOL_CACHE: toolCache },
    );
    rmSync(run.temp, { recursive: true, force: true });
    const built = run.outputs['cache-hit'] !== 'true';
    console.log(
      `  ${build.name} (optimize: ${build.optimize}): ${run.outputs['python-path']}, ${built ? `built in ${run.secs.toFixed(0)} s` : `found in the tool cache (${run.secs.toFixed(1)} s)`}`,
    );
    return run.outputs['python-path'];
  } finally {
    server.close();
  }
}

export async function main() {
  const reference = process.env.TLS_FLOOR_SPEED_REFERENCE || '/usr/bin/python3';
  const version = process.env.TLS_FLOOR_SPEED_PYTHON || versionOf(reference);
  const openssl = fetchedVersion('openssl', '3.5');
  const rounds = Number(process.env.TLS_FLOOR_SPEED_ROUNDS || 5);
  const toolCache = process.env.TLS_FLOOR_SPEED_TOOLCACHE || path.join(root, '.cache', 'bench-speed', 'toolcache');
  mkdirSync(toolCache, { recursive: true });
  console.log(
    `speed benchmark: CPython ${version} + OpenSSL ${openssl} (tool cache ${toolCache}), reference ${reference}`,
  );
  const wanted = (process.env.TLS_FLOOR_SPEED_BUILDS || 'pgo-lto,none').split(',');
  const pythons = [];
  for (const build of BUILDS.filter((b) => wanted.includes(b.optimize)))
    pythons.push({ ...build, python: await obtain(build, version, openssl, toolCache) });
  const referenceVersion = versionOf(reference);
  if (referenceVersion !== version) console.log(`  note: the reference is CPython ${referenceVersion}, not ${version}`);

  const geomeans = Object.fromEntries(pythons.map((b) => [b.name, []]));
  for (let round = 1; round <= rounds; round++) {
    // Interleaved: reference, optimized, default; then the other way round.
    const order = [{ name: 'reference', python: reference }, ...pythons];
    if (round % 2 === 0) order.reverse();
    const times = Object.fromEntries(order.map((p) => [p.name, runSuite(p.python)]));
    const ref = times.reference;
    console.log(
      `round ${round} of ${rounds} (order ${order.map((p) => p.name).join(', ')}); ratio = reference time / runtime time`,
    );
    for (const workload of Object.keys(ref)) {
      const cells = pythons.map((p) => `${p.name} ${x(ref[workload] / times[p.name][workload])}`);
      console.log(
        `  ${workload.padEnd(11)} reference ${(ref[workload] * 1000).toFixed(0).padStart(5)} ms   ${cells.join('   ')}`,
      );
    }
    const line = pythons.map((p) => {
      const g = geomean(Object.keys(ref).map((w) => ref[w] / times[p.name][w]));
      geomeans[p.name].push(g);
      return `${p.name} ${x(g)}`;
    });
    console.log(`  geometric mean: ${line.join(', ')}`);
  }
  console.log(`summary over ${rounds} rounds (geometric mean of the workload ratios; median, min-max):`);
  for (const p of pythons) {
    const s = stats(geomeans[p.name]);
    console.log(
      `  ${p.name.padEnd(9)} (optimize: ${p.optimize.padEnd(7)}) median ${x(s.median)} (${x(s.min)} to ${x(s.max)})`,
    );
  }
  if (geomeans.optimized && geomeans.default) {
    const opt = stats(geomeans.optimized).median;
    console.log(`  optimized over default: ${x(opt / stats(geomeans.default).median)}`);
    console.log(`  target: optimized >= 1.00x the reference -> ${opt >= 1 ? 'met' : 'NOT met'} (${x(opt)})`);
  }
  console.log(
    `  load average (1, 5, 15 min) ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} on ${os.availableParallelism()} CPUs`,
  );
}
