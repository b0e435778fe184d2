#!/usr/bin/env node
// Builds src/runtime/model/releases.json, the action's table of CPython and OpenSSL source releases:
// for each release the upstream tarball's URL, its SHA-256 and the sources that listed that
// checksum. Every source is public and checkable; where two list the same file they must
// agree, and a disagreement stops the script with nothing written.
//
// Sources (any combination; the existing table is always the starting point, so a release
// that a source stops listing keeps its entry and its recorded sources):
//   --pyenv DIR         pyenv's python-build definitions (plugins/python-build/share/python-build):
//                       install_package "Python-X.Y.Z" "URL#sha256" (and openssl-X.Y.Z lines)
//   --debian-apt        Debian's signed Sources indexes for bullseye, bookworm, bookworm-security,
//                       trixie, forky, sid and experimental (where OpenSSL's next major line
//                       arrives first: 4.0 from 2026), fetched by apt into a private directory (the deb-src
//                       entries are derived from this machine's own apt sources: URIs, Signed-By)
//   --debian FILE:SUITE a captured Sources index (or apt-cache showsrc output) for SUITE
//   --openssl-github    updater mode (needs the internet): the SHA-256 files OpenSSL publishes
//                       beside its tarballs on github.com/openssl/openssl/releases
// Other options: --out FILE (default src/runtime/model/releases.json), --check (exit 1 if FILE would change).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEBIAN_SUITES = ['bullseye', 'bookworm', 'bookworm-security', 'trixie', 'forky', 'sid', 'experimental'];
/** The oldest CPython the table holds (3.9 is kept for legacy matrices). */
const PYTHON_MIN = [3, 9, 0];

/**
 * A CPython version as upstream writes it (3.13.5, 3.15.0b4, 3.14.0rc3), or undefined.
 * Free-threaded (3.13.0t) and -dev definitions are not releases of their own.
 */
export function pythonVersion(text) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?$/.exec(text);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (compareTuples(parts, PYTHON_MIN) < 0) return undefined;
  return { version: text, prerelease: Boolean(m[4]) };
}

/** OpenSSL 3.x and 4.x (and their alpha/beta prereleases) and 1.1.1w; other lines are not in the table. */
export function opensslVersion(text) {
  if (text === '1.1.1w') return { version: text, prerelease: false };
  const m = /^[34]\.(\d+)\.(\d+)(?:-(alpha|beta)(\d+))?$/.exec(text);
  if (!m) return undefined;
  return { version: text, prerelease: Boolean(m[3]) };
}

/** The upstream location of a release's tarball in the given format. */
export function upstreamUrl(project, version, format) {
  if (project === 'openssl') {
    const tag = version === '1.1.1w' ? 'OpenSSL_1_1_1w' : `openssl-${version}`;
    return `https://github.com/openssl/openssl/releases/download/${tag}/openssl-${version}.tar.gz`;
  }
  const base = /^\d+\.\d+\.\d+/.exec(version)[0];
  return `https://www.python.org/ftp/python/${base}/Python-${version}.${format === 'tgz' ? 'tgz' : 'tar.xz'}`;
}

/** pyenv's install_package lines: [{ project, version, format, sha256 }]. */
export function parsePyenvDefinition(text) {
  const found = [];
  for (const m of text.matchAll(/install_package\s+"(Python|openssl)-([^"]+)"\s+"([^"#]+)#([0-9a-f]{64})"/g)) {
    const project = m[1] === 'Python' ? 'python' : 'openssl';
    const parsed = project === 'python' ? pythonVersion(m[2]) : opensslVersion(m[2]);
    if (!parsed) continue;
    const format = m[3].endsWith('.tar.xz')
      ? 'tar.xz'
      : m[3].endsWith('.tgz') || m[3].endsWith('.tar.gz')
        ? 'tgz'
        : undefined;
    if (!format || (project === 'openssl' && format !== 'tgz')) continue;
    found.push({ project, ...parsed, format, sha256: m[4] });
  }
  return found;
}

/**
 * A Debian Sources index (deb822 paragraphs, as apt-cache showsrc prints them too): the
 * .orig tarballs of openssl and python3.X, [{ project, version, format, sha256 }]. A
 * repacked .orig (+dfsg, +ds) is not upstream's file and is skipped.
 */
export function parseDebianSources(text) {
  const found = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const pkg = /^Package: (\S+)$/m.exec(paragraph)?.[1];
    if (!pkg || !(pkg === 'openssl' || /^python3\.\d+$/.test(pkg))) continue;
    const sums = /^Checksums-Sha256:\n((?: .*\n?)*)/m.exec(paragraph)?.[1] ?? '';
    for (const line of sums.split('\n')) {
      const m = /^ ([0-9a-f]{64}) \d+ (\S+)_([^_]+)\.orig\.(tar\.xz|tar\.gz)$/.exec(line);
      if (!m || m[2] !== pkg || /\+(dfsg|ds|repack)/.test(m[3])) continue;
      const upstream = m[3].replace(/^\d+:/, '');
      const project = pkg === 'openssl' ? 'openssl' : 'python';
      // Debian writes prereleases with a tilde: 3.14.0~rc3, 3.6.0~beta1.
      const version = project === 'python' ? upstream.replace('~', '') : upstream.replace('~', '-');
      const parsed = project === 'python' ? pythonVersion(version) : opensslVersion(version);
      if (!parsed) continue;
      found.push({ project, ...parsed, format: m[4] === 'tar.xz' ? 'tar.xz' : 'tgz', sha256: m[1] });
    }
  }
  return found;
}

/** A .sha256 file as published beside a tarball: "<hex>", "<hex>  name", "<hex> *name" or "SHA2-256(name)= <hex>". */
export function parseSha256File(text) {
  const m = /^\s*([0-9a-fA-F]{64})(?:\s|$)/.exec(text) ?? /=\s*([0-9a-fA-F]{64})\s*$/m.exec(text);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * Merges observations into the table. Each observation: { project, version, prerelease,
 * format, sha256, source }. Throws on any disagreement about the same file.
 */
export function mergeTable(table, observations) {
  const next = { python: structuredClone(table.python ?? []), openssl: structuredClone(table.openssl ?? []) };
  for (const o of observations) {
    const list = next[o.project];
    let entry = list.find((e) => e.version === o.version);
    if (!entry) {
      entry = { version: o.version, ...(o.prerelease ? { prerelease: true } : {}), files: [] };
      list.push(entry);
    }
    const url = upstreamUrl(o.project, o.version, o.format);
    let file = entry.files.find((f) => f.url === url);
    if (!file) {
      file = { url, sha256: o.sha256, sources: [] };
      entry.files.push(file);
    }
    if (file.sha256 !== o.sha256) {
      throw new Error(
        `${o.project} ${o.version}: ${o.source} gives ${o.sha256} for ${url}, but ${file.sources.join(', ') || 'the table'} gave ${file.sha256}. Nothing was written.`,
      );
    }
    if (!file.sources.includes(o.source)) file.sources.push(o.source);
  }
  for (const project of ['python', 'openssl']) {
    next[project].sort((a, b) => compareVersions(b.version, a.version));
    for (const entry of next[project]) {
      // The default file first: .tar.xz for CPython (the smaller download), then .tgz.
      entry.files.sort((a, b) => Number(a.url.endsWith('.tgz')) - Number(b.url.endsWith('.tgz')));
      for (const file of entry.files) file.sources.sort();
    }
  }
  return next;
}

function compareTuples(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  }
  return 0;
}

/** Orders 3.13.5 > 3.13.5rc1 > 3.13.5b2, 3.6.0 > 3.6.0-beta1, 1.1.1w > 1.1.1v. */
export function compareVersions(a, b) {
  const key = (v) => {
    const m = /^(\d+)\.(\d+)\.(\d+)([a-z]?)(?:-?(alpha|beta|a|b|rc)(\d+))?$/.exec(v);
    if (!m) return [0];
    const stage = { alpha: 1, a: 1, beta: 2, b: 2, rc: 3 }[m[5]] ?? 4;
    return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? m[4].charCodeAt(0) : 0, stage, Number(m[6] ?? 0)];
  };
  return compareTuples(key(a), key(b));
}

function readPyenv(dir) {
  const found = [];
  // Every definition: a -dev or free-threaded one pins an OpenSSL (with its checksum) too.
  for (const name of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)) {
    found.push(...parsePyenvDefinition(readFileSync(path.join(dir, name), 'utf8')));
  }
  return found.map((o) => ({ ...o, source: 'pyenv' }));
}

/** Debian's Sources indexes through apt, in a private directory: the machine's apt state is untouched. */
function readDebianWithApt() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tls-floor-apt-'));
  try {
    const etc = execFileSync('apt-config', ['shell', 'D', 'Dir::Etc::sourceparts/d'], { encoding: 'utf8' });
    const partsDir = /D='([^']*)'/.exec(etc)?.[1];
    const sourceFiles =
      partsDir && existsSync(partsDir) ? readdirSync(partsDir).filter((f) => f.endsWith('.sources')) : [];
    let uri, security, key;
    for (const f of sourceFiles) {
      const text = readFileSync(path.join(partsDir, f), 'utf8');
      for (const block of text.split(/\n\s*\n/)) {
        const u = /^URIs:\s*(\S+)/m.exec(block)?.[1];
        const k = /^Signed-By:\s*(\S+)/m.exec(block)?.[1];
        if (u && /\/debian\/?$/.test(u)) [uri, key] = [uri ?? u, key ?? k];
        if (u && /\/debian-security\/?$/.test(u)) security ??= u;
      }
    }
    if (!uri || !key)
      throw new Error(`--debian-apt: no Debian apt source (URIs: .../debian, Signed-By:) in ${partsDir}`);
    mkdirSync(path.join(dir, 'parts'));
    mkdirSync(path.join(dir, 'lists', 'partial'), { recursive: true });
    mkdirSync(path.join(dir, 'cache'));
    const main = DEBIAN_SUITES.filter((s) => !s.endsWith('-security'));
    const sec = DEBIAN_SUITES.filter((s) => s.endsWith('-security'));
    let sources = `Types: deb-src\nURIs: ${uri}\nSuites: ${main.join(' ')}\nComponents: main\nSigned-By: ${key}\n`;
    if (security)
      sources += `\nTypes: deb-src\nURIs: ${security}\nSuites: ${sec.join(' ')}\nComponents: main\nSigned-By: ${key}\n`;
    writeFileSync(path.join(dir, 'parts', 'tls-floor.sources'), sources);
    const options = [
      ['Dir::Etc::SourceList', '/dev/null'],
      ['Dir::Etc::SourceParts', path.join(dir, 'parts')],
      ['Dir::State::Lists', path.join(dir, 'lists')],
      ['Dir::Cache', path.join(dir, 'cache')],
      ['Acquire::Languages', 'none'],
      ['APT::Sandbox::User', 'root'], // the private directory is root's; apt's _apt user cannot write it
    ].flatMap(([k, v]) => ['-o', `${k}=${v}`]);
    // apt verifies each index against the suite's signed InRelease file before it keeps it.
    execFileSync('apt-get', [...options, '-qq', 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const targets = execFileSync(
      'apt-get',
      [...options, 'indextargets', '--format', '$(FILENAME) $(CODENAME) $(SUITE)', 'Created-By: Sources'],
      { encoding: 'utf8' },
    );
    const found = [];
    for (const line of targets.trim().split('\n')) {
      const [file, codename] = line.split(' ');
      if (!existsSync(file)) continue;
      // The security archive's codename is bookworm-security; plain suites' is bookworm.
      const suite = file.includes('-security_') && !codename.endsWith('-security') ? `${codename}-security` : codename;
      const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      found.push(...parseDebianSources(text).map((o) => ({ ...o, source: `debian:${suite}` })));
    }
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Updater mode: OpenSSL's own published SHA-256 files beside its release tarballs on GitHub. */
async function readOpensslGithub() {
  const found = [];
  const headers = {
    accept: 'application/vnd.github+json',
    ...(process.env.GITHUB_TOKEN ? { authorization: `Bearer ${process.env.GITHUB_TOKEN}` } : {}),
  };
  for (let page = 1; page <= 10; page++) {
    const res = await fetch(`https://api.github.com/repos/openssl/openssl/releases?per_page=100&page=${page}`, {
      headers,
    });
    if (!res.ok) throw new Error(`GitHub releases of openssl/openssl: HTTP ${res.status}`);
    const releases = await res.json();
    if (!releases.length) break;
    for (const release of releases) {
      for (const asset of release.assets ?? []) {
        const m = /^openssl-(.+)\.tar\.gz\.sha256$/.exec(asset.name);
        const parsed = m && opensslVersion(m[1]);
        if (!parsed) continue;
        const text = await (await fetch(asset.browser_download_url)).text();
        const sha256 = parseSha256File(text);
        if (!sha256) throw new Error(`${asset.browser_download_url}: not a SHA-256 file`);
        found.push({ project: 'openssl', ...parsed, format: 'tgz', sha256, source: 'openssl-github' });
      }
    }
  }
  return found;
}

function parseArgs(argv) {
  const args = {
    pyenv: [],
    debian: [],
    debianApt: false,
    opensslGithub: false,
    out: path.join(ROOT, 'src', 'runtime', 'model', 'releases.json'),
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pyenv') args.pyenv.push(argv[++i]);
    else if (a === '--debian') args.debian.push(argv[++i]);
    else if (a === '--debian-apt') args.debianApt = true;
    else if (a === '--openssl-github') args.opensslGithub = true;
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--check') args.check = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

export async function main(argv) {
  const args = parseArgs(argv);
  const table = existsSync(args.out) ? JSON.parse(readFileSync(args.out, 'utf8')) : { python: [], openssl: [] };
  const observations = [];
  for (const dir of args.pyenv) observations.push(...readPyenv(dir));
  for (const spec of args.debian) {
    const [file, suite] = spec.split(':');
    observations.push(
      ...parseDebianSources(readFileSync(file, 'utf8')).map((o) => ({ ...o, source: `debian:${suite}` })),
    );
  }
  if (args.debianApt) observations.push(...readDebianWithApt());
  if (args.opensslGithub) observations.push(...(await readOpensslGithub()));
  const next = mergeTable(table, observations);
  const text = `${JSON.stringify(
    {
      about:
        'Generated by scripts/update-releases.mjs: upstream tarballs, their SHA-256 and the sources that listed it. Do not edit by hand.',
      python: next.python,
      openssl: next.openssl,
    },
    null,
    1,
  )}\n`;
  const before = existsSync(args.out) ? readFileSync(args.out, 'utf8') : '';
  const count = (list) => `${list.length} (${list.filter((e) => e.prerelease).length} prereleases)`;
  console.log(
    `releases: CPython ${count(next.python)}, OpenSSL ${count(next.openssl)}; ${observations.length} observations agree`,
  );
  if (args.check) {
    if (text !== before) {
      console.error(`${args.out} is not up to date`);
      process.exitCode = 1;
    }
    return;
  }
  if (text !== before) writeFileSync(args.out, text);
  console.log(text === before ? `${args.out}: unchanged` : `${args.out}: written`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`update-releases: ${error.message}`);
    process.exit(1);
  });
}
