#!/usr/bin/env node
// npm run runtime-index -- <folder> <base-url>
// Writes <folder>/index.json listing every runtime archive in <folder> that create-archive made
// (<archive>.tar.gz with <archive>.tar.gz.manifest.json beside it), with URLs under <base-url>.
// Each archive's SHA-256 and size are measured again here, not copied from its manifest.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const INDEX_FORMAT = 1;

async function sha256(file) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export async function buildIndex(folder, baseUrl) {
  const runtimes = [];
  const manifests = readdirSync(folder)
    .filter((f) => f.endsWith('.tar.gz.manifest.json'))
    .sort();
  for (const name of manifests) {
    const manifest = JSON.parse(readFileSync(path.join(folder, name), 'utf8'));
    const file = name.slice(0, -'.manifest.json'.length);
    const archive = path.join(folder, file);
    if (!existsSync(archive)) throw new Error(`${name}: its archive ${file} is not in ${folder}`);
    const digest = await sha256(archive);
    const bytes = statSync(archive).size;
    if (manifest.archive && (manifest.archive.sha256 !== digest || manifest.archive.bytes !== bytes)) {
      throw new Error(
        `${file}: its manifest says sha256 ${manifest.archive.sha256} (${manifest.archive.bytes} bytes), the file is ${digest} (${bytes} bytes)`,
      );
    }
    const { plan } = manifest;
    if (manifest.report?.verdict !== 'pass')
      throw new Error(`${file}: its probe verdict is ${manifest.report?.verdict}, not pass`);
    runtimes.push({
      url: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(file)}` : file,
      sha256: digest,
      bytes,
      python: plan.python.source.version,
      openssl: plan.openssl.source.version,
      floor: plan.floor,
      buildFormat: plan.python.entry.identity.format,
      identity: { openssl: plan.openssl.entry.identity, python: plan.python.entry.identity },
      platform: { os: plan.platform.os, osRelease: plan.platform.osRelease, arch: plan.platform.arch },
      builtAt: manifest.createdAt,
    });
  }
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
    writeFileSync(path.join(folder, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    console.log(`${path.join(folder, 'index.json')}: ${index.runtimes.length} runtime(s)`);
    for (const r of index.runtimes) {
      console.log(
        `  CPython ${r.python} / OpenSSL ${r.openssl} / TLS ${r.floor} / ${r.platform.os} ${r.platform.osRelease} ${r.platform.arch}: ${r.url}`,
      );
    }
  } catch (error) {
    console.error(`runtime-index: ${error.message}`);
    process.exit(1);
  }
}
