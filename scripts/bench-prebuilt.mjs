// npm run bench -- prebuilt
// A first run on an empty tool cache resolved from a runtime index (served on 127.0.0.1)
// beside a cold source build, both measured in this run: the cold build under one tool-cache
// root makes the archive, `runtime-index` indexes it, and the prebuilt run installs it under
// another root (relocated), verifies and probes it.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fetchedVersion, root, runActionOnce, serveDir } from './bench-lib.mjs';
import { buildIndex } from './runtime-index.mjs';

const sources = path.join(root, '.cache', 'sources');

export async function main() {
  const src = await serveDir(sources);
  const ext = (base) =>
    readdirSync(sources)
      .find((f) => f.startsWith(`${base}.tar.`))
      .slice(base.length);
  const py = fetchedVersion('python', '3.13');
  const ssl = fetchedVersion('openssl', '3.5');
  const inputs = {
    'python-version': py,
    'openssl-version': ssl,
    'python-source-url': `http://127.0.0.1:${src.address().port}/Python-{version}${ext(`Python-${py}`)}`,
    'openssl-source-url': `http://127.0.0.1:${src.address().port}/openssl-{version}${ext(`openssl-${ssl}`)}`,
    'runtime-index': 'none',
  };
  const buildRoot = mkdtempSync(path.join(tmpdir(), 'tls-floor-bench-build-'));
  const installRoot = path.join(mkdtempSync(path.join(tmpdir(), 'tls-floor-bench-elsewhere-')), '_work', '_tool');
  const folder = mkdtempSync(path.join(tmpdir(), 'tls-floor-bench-index-'));
  try {
    console.log(`prebuilt benchmark: CPython ${py} + OpenSSL ${ssl}, floor 1.2 (cold build first: minutes)`);
    const cold = await runActionOnce({ ...inputs, 'create-archive': 'true' }, { RUNNER_TOOL_CACHE: buildRoot });
    const archive = cold.outputs['archive-path'];
    copyFileSync(archive, path.join(folder, path.basename(archive)));
    copyFileSync(cold.outputs['archive-manifest'], path.join(folder, `${path.basename(archive)}.manifest.json`));
    const files = await serveDir(folder);
    try {
      const base = `http://127.0.0.1:${files.address().port}`;
      writeFileSync(path.join(folder, 'index.json'), JSON.stringify(await buildIndex(folder, base)));
      rmSync(buildRoot, { recursive: true, force: true }); // the runtime must not lean on its build folder
      const first = await runActionOnce(
        { ...inputs, 'runtime-index': `${base}/index.json` },
        { RUNNER_TOOL_CACHE: installRoot },
      );
      const report = JSON.parse(readFileSync(first.outputs['report-path'], 'utf8'));
      console.log(
        `  cold source build (empty tool cache, runtime-source ${cold.outputs['runtime-source']}): ${cold.secs.toFixed(1)} s`,
      );
      console.log(
        `  first run from the index (empty tool cache elsewhere, runtime-source ${first.outputs['runtime-source']}): ${first.secs.toFixed(2)} s, verdict ${report.verdict} (target < 5 s)`,
      );
      console.log(`  ratio: ${(cold.secs / first.secs).toFixed(0)}x`);
      rmSync(first.temp, { recursive: true, force: true });
    } finally {
      files.close();
    }
    rmSync(cold.temp, { recursive: true, force: true });
  } finally {
    src.close();
    for (const dir of [buildRoot, path.dirname(path.dirname(installRoot)), folder])
      rmSync(dir, { recursive: true, force: true });
  }
}
