#!/usr/bin/env node
// npm run runtime-index -- <folder> <base-url>
// Writes <folder>/index.json listing every runtime archive (*.tar.zst, *.tar.gz) in <folder>
// that create-archive made, with URLs under <base-url> (each name URL-encoded; empty base: URLs
// relative to the index) and the compression of each (read from its magic bytes). Each
// archive's manifest is read from beside it (<archive>.manifest.json) or, when none is there,
// from the archive's first member. Each archive's SHA-256 and size are measured again here,
// not copied from its manifest. An archive that is not a runtime archive, a malformed
// manifest, or a folder that holds no archive at all is an error (an index of 0 runtimes only
// for an empty folder, said so).
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
import { Parser } from 'tar';

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

/** The manifest an archive holds as its first member (as the action reads it). */
async function innerManifest(archive, name) {
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
  try {
    await pipeline(createReadStream(archive), parser);
  } catch (error) {
    throw new Error(`${name}: not a tls-floor runtime archive (not a readable archive: ${error.message})`);
  }
  if (!ours) throw new Error(`${name}: not a tls-floor runtime archive (its first member is not ${MANIFEST_NAME})`);
  return parseManifest(Buffer.concat(chunks).toString('utf8'), `${name}: its ${MANIFEST_NAME}`);
}

export async function buildIndex(folder, baseUrl) {
  const runtimes = [];
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
    runtimes.push({
      url: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${encoded}` : encoded,
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
  return { format: INDEX_FORMAT, generatedAt: new Date().toISOString(), runtimes };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const [folder, baseUrl] = process.argv.slice(2);
  if (!folder || !existsSync(folder)) {
    console.error(
      'usage: npm run runtime-index -- <folder of archives> <base-url (empty for URLs relative to the index)>',
    );
    process.exit(2);
  }
  try {
    const index = await buildIndex(folder, baseUrl ?? '');
    const out = path.join(folder, 'index.json');
    writeFileSync(out, `${JSON.stringify(index, null, 2)}\n`);
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
