import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planBuild } from '../../src/runtime/model/plan.js';
import { findPrebuilt, matchEntry, type RuntimeIndex } from '../../src/runtime/prebuilt.js';
import { indexEntryFor } from '../fixtures/index-entry.js';
import { asTheActionSays } from '../fixtures/refusals.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Index entries as a careless or hostile publisher writes them: null, re-serialised with
// sorted keys, an uppercase digest, an identity that differs in one CPython field.
const platform = { os: 'linux', osRelease: 'debian-12', arch: 'x64' } as const;
const plan = (python = { sha256: 'a'.repeat(64) }) =>
  planBuild({
    floor: '1.2',
    platform,
    jobs: 2,
    python: { name: 'python', version: '3.13.15', url: 'u', sha256: python.sha256, checksumFrom: 'known-releases' },
    openssl: { name: 'openssl', version: '3.5.7', url: 'u', sha256: 'b'.repeat(64), checksumFrom: 'known-releases' },
    pythonOptions: ['--with-ensurepip=install'],
    opensslDir: '/usr/lib/ssl',
  });
const entryFor = indexEntryFor;

/** Every object's keys sorted, as `jq -S` or Python's json.dumps(sort_keys=True) writes them. */
const sortedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortedKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
        )
      : value;

const writeIndex = (runtimes: unknown[]) => {
  const file = path.join(temporaryFolder('tls-floor-index-entries-'), 'index.json');
  writeFileSync(file, JSON.stringify({ format: 1, runtimes }));
  return file;
};
const lookUp = (file: string, p = plan()) =>
  asTheActionSays(() => findPrebuilt({ location: file, explicit: true }, [p]));

describe('runtime-index entries that are not what they should be', () => {
  it.each([
    ['null', null, 'null'],
    ['number', 7, 'a number'],
    ['list', [], 'an array'],
    ['string', 'rt.tar.gz', 'a string'],
  ])('a %s entry is one line naming the index and the entry, not a TypeError', async (_name, entry, kind) => {
    const file = writeIndex([entry, entryFor(plan())]);
    const error = await lookUp(file).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.name).toBe('InputError');
    expect(error!.message).toBe(
      `runtime-index: entry 1 of 2 in ${file} is ${kind}, not an object with url, sha256, bytes and identity; nothing was installed.`,
    );
  });

  it('an entry with no identity object is named too', async () => {
    const { identity: _identity, ...rest } = entryFor(plan());
    const file = writeIndex([{ ...rest, identity: { python: null } }]);
    await expect(lookUp(file)).rejects.toThrow(
      `runtime-index: entry 1 of 1 (rt.tar.gz) in ${file} has no identity object with python and openssl; nothing was installed.`,
    );
  });

  it('an index re-serialised with sorted keys matches: identities are compared by value', () => {
    const p = plan();
    const index = sortedKeys({ format: 1, runtimes: [entryFor(p)] }) as RuntimeIndex;
    expect(JSON.stringify(index.runtimes[0]!.identity)).not.toBe(JSON.stringify(entryFor(p).identity));
    expect(matchEntry(index, p)).toEqual({ entry: index.runtimes[0] });
  });

  it('a miss names the field that differs, by part (CPython sha256, not "openssl variant")', () => {
    const theirs = plan({ sha256: 'd'.repeat(64) });
    const result = matchEntry({ format: 1, runtimes: [entryFor(theirs)] }, plan());
    expect('miss' in result && result.miss).toMatch(/nearest differs in build identity \(CPython sha256\)\)/);
  });

  it('a runtime listed as .tar.zst and .tar.gz: the zstd one where this Node.js reads zstd, else the gzip one', () => {
    const p = plan();
    const zst = { ...entryFor(p), url: 'rt.tar.zst', compression: 'zstd' as const };
    const gz = { ...entryFor(p), url: 'rt.tar.gz', compression: 'gzip' as const };
    const hasZstd = typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';
    for (const runtimes of [
      [zst, gz],
      [gz, zst],
    ])
      expect(matchEntry({ format: 1, runtimes }, p)).toEqual({ entry: hasZstd ? zst : gz });
  });

  it('an entry naming a compression other than zstd or gzip is one line', async () => {
    const file = writeIndex([{ ...entryFor(plan()), compression: 'brotli' }]);
    await expect(lookUp(file)).rejects.toThrow(
      `runtime-index: the entry for rt.tar.gz in ${file} names the compression "brotli", not zstd or gzip; nothing was installed.`,
    );
  });

  it('an entry without a compression is gzip (indexed before zstd)', async () => {
    const file = writeIndex([entryFor(plan())]);
    expect(await lookUp(file)).toMatchObject({ compression: 'gzip' });
  });

  it('an uppercase SHA-256 in an entry is accepted and normalised, like the inputs', async () => {
    const file = writeIndex([{ ...entryFor(plan()), sha256: 'C'.repeat(64) }]);
    expect(await lookUp(file)).toMatchObject({ sha256: 'c'.repeat(64), bytes: 10 });
  });
});
