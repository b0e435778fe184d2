// npm run bench -- build
// Cold build the action's way (the bundled action, empty tool cache; first, so that a failure
// shows in minutes) vs. the recipe's way (boto3 guide: serial make, default options),
// on the same tarballs in the same run; then a cache-hit run; then what the recipe's Python
// really links.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { actionEnv, fetchedVersion, root, runActionOnce, serveDir } from './bench-lib.mjs';

// The newest pair the fetch script found (the build test's pair), unless named.
const PYTHON = process.env.BENCH_PYTHON_VERSION ?? fetchedVersion('python', '3.13');
const OPENSSL = process.env.BENCH_OPENSSL_VERSION ?? fetchedVersion('openssl', '3.5');
const sources = path.join(root, '.cache', 'sources');

function tarball(base) {
  const name = existsSync(sources) && readdirSync(sources).find((f) => f.startsWith(`${base}.tar.`));
  if (!name) throw new Error(`${base} missing from .cache/sources: run scripts/fetch-test-sources.sh`);
  return path.join(sources, name);
}

function sh(cmd, args, cwd, log) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (log) log.push(`$ ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.status ?? r.error}) in ${cwd}:\n${`${r.stdout}${r.stderr}`.slice(-2000)}`,
    );
  return r.stdout;
}

const secs = (t) => (performance.now() - t) / 1000;

/** The recipe, literally: default options, serial make, make install (docs included). */
function recipeBuild(work) {
  const t = performance.now();
  const ossl = path.join(work, 'openssl');
  const py = path.join(work, 'python');
  for (const d of [ossl, py]) mkdirSync(d, { recursive: true });
  sh('tar', ['-xf', tarball(`openssl-${OPENSSL}`), '-C', ossl, '--strip-components=1'], work);
  const osslPrefix = path.join(work, 'recipe-openssl');
  sh(
    './config',
    [`--prefix=${osslPrefix}`, `--openssldir=${osslPrefix}`, 'no-ssl3', 'no-tls1', 'no-tls1_1', 'no-shared'],
    ossl,
  );
  sh('make', [], ossl);
  sh('make', ['install'], ossl);
  const tOpenssl = secs(t);
  sh('tar', ['-xf', tarball(`Python-${PYTHON}`), '-C', py, '--strip-components=1'], work);
  const pyPrefix = path.join(work, 'recipe-python');
  sh('./configure', [`--prefix=${pyPrefix}`, `--with-openssl=${osslPrefix}`], py);
  sh('make', [], py);
  sh('make', ['install'], py);
  return { total: secs(t), openssl: tOpenssl, python: path.join(pyPrefix, 'bin', 'python3') };
}

async function runAction(inputs, toolCache) {
  const r = await runActionOnce(inputs, { RUNNER_TOOL_CACHE: toolCache });
  const report = JSON.parse(readFileSync(r.outputs['report-path'], 'utf8'));
  rmSync(r.temp, { recursive: true, force: true });
  return { ...r, report };
}

export async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'tls-floor-bench-build-'));
  const server = await serveDir(sources);
  const port = server.address().port;
  const ext = (f) => path.basename(f).slice(path.basename(f).indexOf('.tar'));
  const inputs = {
    'python-version': PYTHON,
    'openssl-version': OPENSSL,
    'python-source-url': `http://127.0.0.1:${port}/Python-{version}${ext(tarball(`Python-${PYTHON}`))}`,
    'openssl-source-url': `http://127.0.0.1:${port}/openssl-{version}${ext(tarball(`openssl-${OPENSSL}`))}`,
  };
  try {
    console.log(
      `build benchmark: CPython ${PYTHON} + OpenSSL ${OPENSSL}, ${readdirSync('/sys/devices/system/cpu').filter((d) => /^cpu\d+$/.test(d)).length} CPUs`,
    );
    // Emptied for a cold run, then kept for `npm run bench -- archive`.
    const toolCache = path.join(root, '.cache', 'bench-toolcache');
    rmSync(toolCache, { recursive: true, force: true });
    const cold = await runAction(inputs, toolCache);
    console.log(`  action's way (cold, empty tool cache):       ${cold.secs.toFixed(0)} s`);
    const recipe = recipeBuild(path.join(work, 'recipe'));
    console.log(
      `  recipe's way (serial make, default options): ${recipe.total.toFixed(0)} s (OpenSSL ${recipe.openssl.toFixed(0)} s)`,
    );
    console.log(
      `  ratio action/recipe:                          ${(cold.secs / recipe.total).toFixed(2)} (target <= 0.45)`,
    );
    const hit = await runAction(inputs, toolCache);
    const { report } = hit;
    console.log(
      `  cache-hit run (find + verify + probe):        ${hit.secs.toFixed(2)} s, runtime-source=${hit.outputs['runtime-source']} (target < 3 s)`,
    );
    console.log(
      `  probe alone within it:                        ${(report.durationMs / 1000).toFixed(2)} s, verdict ${report.verdict}`,
    );
    // What the recipe produced, seen by the same verification and probe.
    const recipeCheck = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], {
      env: actionEnv({ 'python-path': recipe.python, 'probe-mode': 'strict' }),
      encoding: 'utf8',
    });
    const said = spawnSync(
      recipe.python,
      ['-c', 'import ssl; print(ssl.OPENSSL_VERSION, "HAS_TLSv1 =", ssl.HAS_TLSv1)'],
      { encoding: 'utf8' },
    ).stdout.trim();
    console.log(`  the recipe's python says:                     ${said}`);
    console.log(
      `  the probe's verdict on it (strict):           ${/tls-floor verdict: (\w+)/.exec(recipeCheck.stdout)?.[1] ?? 'n/a'}`,
    );
  } finally {
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
