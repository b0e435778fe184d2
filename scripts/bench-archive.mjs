// npm run bench -- archive
// The archive's size and an install-from-archive run (download from loopback, verify,
// probe), against a cold build's figure from `npm run bench -- build` (not repeated here).
// Reuses the runtime `npm run bench -- build` left in .cache/bench-toolcache (else builds
// it there first, which takes minutes).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fetchedVersion, root, runActionOnce, serveDir } from './bench-lib.mjs';

const action = (inputs) => runActionOnce(inputs, { RUNNER_TOOL_CACHE: toolCache });

const sources = path.join(root, '.cache', 'sources');
const toolCache = path.join(root, '.cache', 'bench-toolcache');

export async function main() {
  mkdirSync(toolCache, { recursive: true });
  const src = await serveDir(sources);
  const ext = (base) =>
    readdirSync(sources)
      .find((f) => f.startsWith(`${base}.tar.`))
      .slice(base.length);
  const [py, ssl] = [fetchedVersion('python', '3.13'), fetchedVersion('openssl', '3.5')];
  const inputs = {
    'python-version': py,
    'openssl-version': ssl,
    'python-source-url': `http://127.0.0.1:${src.address().port}/Python-{version}${ext(`Python-${py}`)}`,
    'openssl-source-url': `http://127.0.0.1:${src.address().port}/openssl-{version}${ext(`openssl-${ssl}`)}`,
  };
  try {
    const made = await action({ ...inputs, 'create-archive': 'true' });
    const archive = made.outputs['archive-path'];
    const mib = statSync(archive).size / 1048576;
    console.log(`archive benchmark: CPython ${py} + OpenSSL ${ssl}, floor 1.2`);
    console.log(`  run that made the archive (${made.outputs['runtime-source']}): ${made.secs.toFixed(1)} s`);
    console.log(`  archive size: ${mib.toFixed(1)} MiB (target < 60 MiB)`);
    for (const name of readdirSync(toolCache)) rmSync(path.join(toolCache, name), { recursive: true, force: true });
    const files = await serveDir(path.dirname(archive));
    try {
      const url = `http://127.0.0.1:${files.address().port}/${path.basename(archive)}`;
      const installed = await action({
        'runtime-archive-url': url,
        'runtime-archive-sha256': made.outputs['archive-sha256'],
      });
      const report = JSON.parse(readFileSync(installed.outputs['report-path'], 'utf8'));
      console.log(
        `  install-from-archive run (download, verify, unpack, probe): ${installed.secs.toFixed(2)} s, verdict ${report.verdict} (target < 5 s)`,
      );
      rmSync(installed.temp, { recursive: true, force: true });
    } finally {
      files.close();
    }
    rmSync(made.temp, { recursive: true, force: true });
  } finally {
    src.close();
  }
}
