#!/usr/bin/env node
// npm run publish-matrix [-- --only <versions.json>] [-- --date YYYY-MM-DD]
// Prints the matrix publish-runtimes.yml builds (JSON, read there with fromJSON), generated
// from the release table (src/runtime/model/releases.json) and the support lines
// (src/runtime/model/lifecycle.json), never written by hand: the newest stable release of every
// supported CPython line from 3.10 on, on the default OpenSSL (the newest release of the
// newest LTS line, as src/runtime/model/versions.ts defaultVersion chooses it), both floors, on
// every runner a prebuilt runtime serves; and, as setup-python offers them, the free-threaded
// build (python 3.13.18t: --disable-gil) of every such line from 3.13 on. --only restricts the table to the versions a
// versions.json names (scripts/fetch-test-sources.sh writes one: the publish rehearsal).
// --write records the matrix of the date given (default today) in runtimes/matrix.json, which
// update-releases.yml's pull request carries, so a reviewer sees which cells a table change
// publishes (test/scripts/publish-matrix.test.ts holds the file to the script's output for its date).
// Dependency-free on purpose: the workflow's matrix job runs it without npm ci.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const json = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

export const FLOORS = ['1.2', '1.3'];
export const OLDEST_LINE = '3.10';
/** The first line with a free-threaded build (src/runtime/model/compat.ts FREE_THREADED_SINCE). */
export const FREE_THREADED_LINE = '3.13';
/**
 * GitHub-hosted runners a published runtime serves: Linux x64 and arm64 on each supported
 * Ubuntu release. macOS is left out: the source build has not been proven there (ci.yml builds
 * on Linux only), and a macOS runtime's platform names the minor release (macos-15.1), which
 * hosted images change between runs.
 */
export const RUNNERS = ['ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-22.04-arm', 'ubuntu-24.04-arm'];

/** 3.13.5 -> [3, 13, 5]; OpenSSL's 1.1.1w -> [1, 1, 1, 23]. */
const parts = (v) =>
  v
    .split(/[.]/)
    .flatMap((p) => (/^\d+[a-z]$/.test(p) ? [Number.parseInt(p, 10), p.charCodeAt(p.length - 1) - 96] : [Number(p)]));
const newerFirst = (a, b) => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
  return 0;
};
const lineOf = (v) => v.split('.').slice(0, 2).join('.');
const stableOnly = (v) => /^\d+\.\d+\.\d+[a-z]?$/.test(v);

/** The day after a line's end of life (YYYY-MM-DD), or the first day of the next month (YYYY-MM). */
function ended(eol, today) {
  const [y, m, d] = eol.split('-').map(Number);
  return today.getTime() >= (d ? Date.UTC(y, m - 1, d + 1) : Date.UTC(y, m, 1));
}

export function publishMatrix({ only, today = new Date() } = {}) {
  const table = json('src/runtime/model/releases.json');
  const lifecycle = json('src/runtime/model/lifecycle.json');
  const allowed = (project) => (v) => !only || Object.values(only[project] ?? {}).includes(v);
  const versions = (project) =>
    table[project]
      .filter((r) => !r.prerelease && stableOnly(r.version))
      .map((r) => r.version)
      .filter(allowed(project));
  const newestOfLine = new Map();
  for (const v of versions('python').sort(newerFirst)) if (!newestOfLine.has(lineOf(v))) newestOfLine.set(lineOf(v), v);
  const pythons = [...newestOfLine]
    .filter(([line]) => newerFirst(`${line}.0`, `${OLDEST_LINE}.0`) <= 0)
    .filter(([line]) => lifecycle.python.lines[line] && !ended(lifecycle.python.lines[line].eol, today))
    .map(([, v]) => v);
  const lts = Object.entries(lifecycle.openssl.lines)
    .filter(([, l]) => l.lts)
    .map(([line]) => line)
    .sort((a, b) => newerFirst(`${a}.0`, `${b}.0`));
  const openssl = lts
    .map(
      (line) =>
        versions('openssl')
          .filter((v) => v.startsWith(`${line}.`))
          .sort(newerFirst)[0],
    )
    .find(Boolean);
  if (!openssl || pythons.length === 0)
    throw new Error('the release table yields no CPython line or no default OpenSSL');
  // The GIL builds first (the rehearsal takes the first cell); each free-threaded one as 3.13.18t.
  const freeThreaded = pythons.filter((v) => newerFirst(`${lineOf(v)}.0`, `${FREE_THREADED_LINE}.0`) <= 0);
  const include = [];
  for (const os of RUNNERS)
    for (const python of [...pythons, ...freeThreaded.map((v) => `${v}t`)])
      for (const floor of FLOORS) include.push({ os, python, openssl, floor });
  return { include };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const only = value('--only') ? JSON.parse(readFileSync(value('--only'), 'utf8')) : undefined;
  const date = value('--date');
  const matrix = publishMatrix({ only, ...(date ? { today: new Date(`${date}T00:00:00Z`) } : {}) });
  if (args.includes('--write')) {
    const generated = date ?? new Date().toISOString().slice(0, 10);
    const file = path.join(root, 'runtimes', 'matrix.json');
    writeFileSync(file, `${JSON.stringify({ generated, cells: matrix.include.length, ...matrix }, null, 2)}\n`);
    console.log(`${path.relative(root, file)}: ${matrix.include.length} cells (${generated})`);
  } else console.log(JSON.stringify(matrix));
}
