import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { planOf } from '../../src/runtime/obtain.js';
import type { IndexEntry, RuntimeIndex } from '../../src/runtime/prebuilt.js';
import { preferPrebuilt } from '../../src/runtime/prebuilt-spec.js';
import { captureLog } from '../fixtures/log.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Specs against a real index file whose entries carry the identities this machine plans (so an
// entry is an exact match, as one create-archive made here would be), built for the pairs each
// case lists. Nothing is downloaded: a choice is an index read and a plan.
const dir = temporaryFolder('tls-floor-prebuilt-spec-');

const inputsOf = async (given: Record<string, string>) =>
  (await readInputs((name) => given[name] ?? (name === 'runtime-index' ? 'none' : ''))).build;

async function entry(python: string, openssl: string, floor: '1.2' | '1.3' = '1.2'): Promise<IndexEntry> {
  const build = await inputsOf({ 'python-version': python, 'openssl-version': openssl });
  const plan = await planOf(build, floor);
  return {
    url: `https://releases.example/runtime-${python}-${openssl}-${floor}.tar.gz`,
    sha256: 'a'.repeat(64),
    bytes: 1,
    python,
    openssl,
    floor,
    buildFormat: 2,
    identity: { python: plan.python.entry.identity, openssl: plan.openssl.entry.identity },
    platform: plan.platform,
  };
}

let n = 0;
function indexOf(runtimes: IndexEntry[]) {
  const file = path.join(dir, `index-${n++}.json`);
  writeFileSync(file, JSON.stringify({ format: 1, runtimes } satisfies RuntimeIndex));
  return { location: file, explicit: false };
}

async function choose(given: Record<string, string>, runtimes: IndexEntry[], floor: '1.2' | '1.3' = '1.2') {
  const build = await inputsOf(given);
  const { log, value, error } = await captureLog(() => preferPrebuilt(build, floor, indexOf(runtimes)));
  if (error) throw error;
  return { table: build, chosen: value!.build, lines: log.split('\n').filter(Boolean) };
}

describe('a version spec resolves to what the runtime index holds', () => {
  let prebuilt: IndexEntry[];
  beforeAll(async () => {
    prebuilt = await Promise.all([entry('3.13.15', '3.5.7'), entry('3.13.14', '3.5.7'), entry('3.12.12', '3.5.9')]);
  });

  it("'3.13' takes the newest 3.13 prebuilt for this runner and floor, and says so in one line", async () => {
    const { table, chosen, lines } = await choose({ 'python-version': '3.13' }, prebuilt);
    expect(table.python.version).toBe('3.13.18'); // the table's newest: would be built
    expect([chosen.python.version, chosen.openssl.version]).toEqual(['3.13.15', '3.5.7']);
    expect(chosen.python.spec).toBe('3.13');
    const p = (await planOf(chosen, '1.2')).platform;
    expect(lines).toEqual([
      `3.13 → 3.13.15, OpenSSL the default → 3.5.7: prebuilt for ${p.os} ${p.osRelease} ${p.arch}, TLS 1.2 (3.13.18 and OpenSSL 3.5.9 are newer: check-latest: true builds them)`,
    ]);
  });

  it.each([
    ['>=3.12 <3.14', '3.13.15'],
    ['3', '3.13.15'],
    ['', '3.13.15'],
    ['3.12', '3.12.12'],
  ])("'%s' resolves to %s", async (spec, version) => {
    const { chosen, lines } = await choose({ 'python-version': spec }, prebuilt);
    expect(chosen.python.version).toBe(version);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${spec ? spec.replace(/[.<>=]/g, '\\$&') : 'the default'} → ${version}, `));
  });

  it("the OpenSSL spec narrows the choice: '3.13' with openssl-version 3.5.9 finds nothing prebuilt", async () => {
    const { table, chosen, lines } = await choose({ 'python-version': '3.13', 'openssl-version': '3.5.9' }, prebuilt);
    expect(chosen).toBe(table);
    expect(lines).toEqual([]);
  });

  it('the floor narrows it: a TLS 1.3 request is not served by TLS 1.2 builds', async () => {
    const { table, chosen } = await choose({ 'python-version': '3.13' }, prebuilt, '1.3');
    expect(chosen).toBe(table);
    const { chosen: c13 } = await choose({ 'python-version': '3.13' }, [await entry('3.13.14', '3.5.7', '1.3')], '1.3');
    expect(c13.python.version).toBe('3.13.14');
  });

  it('an entry built elsewhere (another platform in its identity) is not a candidate', async () => {
    const foreign = await entry('3.13.15', '3.5.7');
    foreign.platform = { ...foreign.platform, osRelease: 'ubuntu-99.04' };
    foreign.identity.python = { ...foreign.identity.python, osRelease: 'ubuntu-99.04' };
    const { table, chosen } = await choose({ 'python-version': '3.13' }, [foreign]);
    expect(chosen).toBe(table);
  });

  it.each([
    ['an exact version', { 'python-version': '3.13.18', 'openssl-version': '3.5.9' }],
    ['check-latest: true', { 'python-version': '3.13', 'check-latest': 'true' }],
    ['a checksum input', { 'python-version': '3.13.14', 'python-sha256': 'b'.repeat(64), 'openssl-version': '3.5.9' }],
  ])('%s resolves against the table as before (and is built unless prebuilt exactly)', async (_, given) => {
    const { table, chosen, lines } = await choose(given, prebuilt);
    expect(chosen).toBe(table);
    expect(lines).toEqual([]);
  });

  it('an empty index (a fork, a fresh clone) changes nothing', async () => {
    const { table, chosen, lines } = await choose({ 'python-version': '3.13' }, []);
    expect(chosen).toBe(table);
    expect(lines).toEqual([]);
  });

  it('an exact CPython with the default OpenSSL takes the prebuilt OpenSSL of the default line', async () => {
    const { chosen, lines } = await choose({ 'python-version': '3.13.14' }, prebuilt);
    expect([chosen.python.version, chosen.openssl.version]).toEqual(['3.13.14', '3.5.7']);
    expect(lines[0]).toMatch(
      /^CPython 3\.13\.14, OpenSSL the default → 3\.5\.7: prebuilt .* \(OpenSSL 3\.5\.9 is newer: check-latest: true builds it\)$/,
    );
  });
});
