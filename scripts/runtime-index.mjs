#!/usr/bin/env node
// npm run runtime-index -- <folder> <base-url>
// npm run runtime-index -- --merge <published index.json> <new index.json>   (prints the union)
// Writes <folder>/index.json listing every runtime archive (*.tar.zst, *.tar.gz) in <folder>
// that create-archive made, with URLs under <base-url> (each name URL-encoded; empty base: URLs
// relative to the index) and the compression of each (read from its magic bytes). A base URL
// with `{release}` puts each archive in a release of its own, named after its build identity
// (cpython-<version>-<variant>: the tool-cache folder's name, whose digest covers versions,
// checksums, options, OS release and architecture), and writes <folder>/releases.json (each
// release: its archive, manifest and .sha256), which publish-runtimes.yml's release job reads. Each
// archive's manifest is read from beside it (<archive>.manifest.json) or, when none is there,
// from the archive's first member. Each archive's SHA-256 and size are measured again here,
// not copied from its manifest. An archive that is not a runtime archive, a malformed
// manifest, or a folder that holds no archive at all is an error (an index of 0 runtimes only
// for an empty folder, said so).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

const INDEX_FORMAT = 1;
const MANIFEST_NAME = 'tls-floor-runtime.json';
const MAX_MANIFEST = 64 * 1024 * 1024;
/** The archive names create-archive writes, by compression (src/runtime/archive/format.ts ARCHIVE_EXTENSION). */
const EXTENSIONS = ['.tar.zst', '.tar.gz'];
const isArchive = (name) => EXTENSIONS.some((e) => name.endsWith(e));

/** zstd by its magic number, else gzip (as the action reads it). */
function compressionOf(file) {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0xfd2fb528 ? 'zstd' : 'gzip';
  } finally {
    closeSync(fd);
  }
}

async function sha256(file) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function parseManifest(text, name) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not JSON (${error.message})`);
  }
}

/**
 * The archive's bytes as tar reads them. A .tar.zst on a Node.js without zstd in zlib (before
 * 22.15 / 23.8: the README's minimum is 20) is decompressed by the zstd program; without it, one
 * line says what is needed.
 */
function tarStream(archive, name) {
  if (compressionOf(archive) !== 'zstd' || typeof zlib.createZstdDecompress === 'function') {
    return { stream: createReadStream(archive), done: Promise.resolve() };
  }
  if (spawnSync('zstd', ['-V'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      `${name} is zstd-compressed and this Node.js ${process.version} cannot read zstd: run it with Node.js >= 22.15 (or 24), or put the zstd program on PATH`,
    );
  }
  const child = spawn('zstd', ['-dc', '--', archive], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stderr.on('data', (chunk) => {
    if (said.length < 2000) said += chunk;
  });
  const done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      code === 0 || signal === 'SIGPIPE' || signal === 'SIGTERM'
        ? resolve()
        : reject(new Error(`zstd -dc ${code ?? signal}: ${said.trim().split('\n').at(-1) ?? ''}`)),
    );
  });
  return { stream: child.stdout, done, stop: () => child.kill('SIGTERM') };
}

/** The manifest an archive holds as its first member (as the action reads it). */
async function innerManifest(archive, name) {
  // Loaded here only: --merge (publish-runtimes.yml's index job, which runs no npm ci) needs no dependency.
  const { Parser } = await import('tar');
  const chunks = [];
  let first = true;
  let ours = false;
  let size = 0;
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      if (first && entry.type === 'File' && entry.path.replace(/^\.\//, '') === MANIFEST_NAME) {
        ours = entry.size <= MAX_MANIFEST;
        entry.on('data', (chunk) => {
          size += chunk.length;
          if (size <= MAX_MANIFEST) chunks.push(chunk);
        });
      } else entry.resume();
      first = false;
    },
  });
  const source = tarStream(archive, name);
  try {
    await pipeline(source.stream, parser);
    await source.done;
  } catch (error) {
    source.stop?.();
    throw new Error(`${name}: not a tls-floor runtime archive (not a readable archive: ${error.message})`);
  }
  if (!ours) throw new Error(`${name}: not a tls-floor runtime archive (its first member is not ${MANIFEST_NAME})`);
  return parseManifest(Buffer.concat(chunks).toString('utf8'), `${name}: its ${MANIFEST_NAME}`);
}

/** The release an archive is published in: one per build identity, so reruns never collide. */
export const releaseOf = (plan) => `cpython-${plan.python.source.version}-${plan.python.entry.variant}`;

export async function buildIndex(folder, baseUrl) {
  const runtimes = [];
  const releases = {};
  const names = readdirSync(folder);
  const archives = names.filter(isArchive).sort();
  for (const name of names.filter(
    (f) => f.endsWith('.manifest.json') && isArchive(f.slice(0, -'.manifest.json'.length)),
  )) {
    const file = name.slice(0, -'.manifest.json'.length);
    if (!archives.includes(file)) throw new Error(`${name}: its archive ${file} is not in ${folder}`);
  }
  for (const file of archives) {
    const archive = path.join(folder, file);
    const beside = `${archive}.manifest.json`;
    const manifest = existsSync(beside)
      ? parseManifest(readFileSync(beside, 'utf8'), path.basename(beside))
      : await innerManifest(archive, file);
    const digest = await sha256(archive);
    const bytes = statSync(archive).size;
    if (manifest.archive && (manifest.archive.sha256 !== digest || manifest.archive.bytes !== bytes)) {
      throw new Error(
        `${file}: its manifest says sha256 ${manifest.archive.sha256} (${manifest.archive.bytes} bytes), the file is ${digest} (${bytes} bytes)`,
      );
    }
    const { plan } = manifest;
    if (!plan?.python?.entry?.identity || !plan?.openssl?.entry?.identity || !plan?.platform)
      throw new Error(`${file}: its manifest has no plan with python, openssl and platform`);
    if (manifest.report?.verdict !== 'pass')
      throw new Error(`${file}: its probe verdict is ${manifest.report?.verdict}, not pass`);
    const encoded = encodeURIComponent(file);
    const release = releaseOf(plan);
    if (!/^[\w.+-]+$/.test(release))
      throw new Error(`${file}: its manifest names no usable release (${release.slice(0, 80)})`);
    const base = baseUrl.replaceAll('{release}', release);
    releases[release] = [file, ...[`${file}.manifest.json`, `${file}.sha256`].filter((f) => names.includes(f))];
    runtimes.push({
      url: base ? `${base.replace(/\/+$/, '')}/${encoded}` : encoded,
      sha256: digest,
      bytes,
      compression: compressionOf(archive),
      python: plan.python.source.version,
      ...(plan.python.freethreaded === true ? { freethreaded: true } : {}),
      openssl: plan.openssl.source.version,
      floor: plan.floor,
      buildFormat: plan.python.entry.identity.format,
      identity: { openssl: plan.openssl.entry.identity, python: plan.python.entry.identity },
      platform: { os: plan.platform.os, osRelease: plan.platform.osRelease, arch: plan.platform.arch },
      builtAt: manifest.createdAt,
    });
  }
  if (runtimes.length === 0 && names.length > 0)
    throw new Error(`no runtime archive (*.tar.zst, *.tar.gz) in ${folder}; nothing was written`);
  return { format: INDEX_FORMAT, generatedAt: new Date().toISOString(), runtimes, releases };
}

/** Where an entry stands: its identity and platform (two entries for one place: the newer wins). */
const placeOf = (entry) =>
  JSON.stringify([sorted(entry.identity), entry.platform?.os, entry.platform?.osRelease, entry.platform?.arch]);
const sorted = (value) =>
  Array.isArray(value)
    ? value.map(sorted)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, sorted(value[k])]),
        )
      : value;

/**
 * The union of a published index and a run's: every runtime either lists, one entry per build
 * identity and platform (the run's where both have one), in a stable order, so merging the same
 * content twice gives the same bytes.
 */
export function mergeIndexes(published, added) {
  for (const [name, index] of [
    ['published', published],
    ['new', added],
  ])
    if (index?.format !== INDEX_FORMAT || !Array.isArray(index.runtimes))
      throw new Error(`the ${name} index is not an index of format ${INDEX_FORMAT}`);
  const byPlace = new Map();
  for (const entry of [...published.runtimes, ...added.runtimes]) byPlace.set(placeOf(entry), entry);
  const runtimes = [...byPlace.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { format: INDEX_FORMAT, runtimes };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain && process.argv[2] === '--merge') {
  const [published, added] = process.argv.slice(3);
  try {
    const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
    console.log(JSON.stringify(mergeIndexes(read(published), read(added)), null, 2));
  } catch (error) {
    console.error(`runtime-index: --merge ${published} ${added}: ${error.message}`);
    process.exit(1);
  }
} else if (isMain) {
  const [folder, baseUrl] = process.argv.slice(2);
  if (!folder || !existsSync(folder)) {
    console.error(
      'usage: npm run runtime-index -- <folder of archives> <base-url (empty for URLs relative to the index)>',
    );
    process.exit(2);
  }
  try {
    const { releases, ...index } = await buildIndex(folder, baseUrl ?? '');
    const out = path.join(folder, 'index.json');
    writeFileSync(out, `${JSON.stringify(index, null, 2)}\n`);
    if ((baseUrl ?? '').includes('{release}'))
      writeFileSync(path.join(folder, 'releases.json'), `${JSON.stringify(releases, null, 2)}\n`);
    if (index.runtimes.length === 0) console.log(`${folder} is empty: wrote an index of 0 runtimes to ${out}`);
    else console.log(`${out}: ${index.runtimes.length} runtime(s)`);
    for (const r of index.runtimes) {
      console.log(
        `  CPython ${r.python}${r.freethreaded ? ' (free-threaded)' : ''} / OpenSSL ${r.openssl} / TLS ${r.floor} / ${r.platform.os} ${r.platform.osRelease} ${r.platform.arch}: ${r.url}`,
      );
    }
  } catch (error) {
    console.error(`runtime-index: ${error.message}`);
    process.exit(1);
  }
}
