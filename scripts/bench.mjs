#!/usr/bin/env node
// Benchmarks, printed as figures (no timed assertions anywhere).
//   npm run bench               the probe-only action run vs. bare start-up of python and node
//   npm run bench -- build      cold build the recipe's way vs. the action's way, cache-hit run
//   npm run bench -- archive    archive size and an install-from-archive run
//   npm run bench -- prebuilt   first run from a runtime index vs. a cold build, same run
// Each section measures its baseline in the same run.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { actionEnv, dist, measure, root, stats } from './bench-lib.mjs';

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
if (section === 'probe') benchProbe();
else if (section === 'build' || section === 'archive' || section === 'prebuilt') {
  const mod = await import(path.join(root, 'scripts', `bench-${section}.mjs`));
  await mod.main();
} else {
  console.error(`unknown section '${section}': probe, build, archive or prebuilt`);
  process.exit(2);
}
