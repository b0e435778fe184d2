import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolEntry } from '../../src/runtime/model/plan.js';
import { completeEntry, discardEntry, findEntry, openEntry, SIDECAR } from '../../src/runtime/toolcache.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// A real tool-cache folder in a temporary RUNNER_TOOL_CACHE, laid out as actions/tool-cache
// lays it out: <root>/<tool>/<semver>/<variant>/ and the marker <variant>.complete beside it.
const entry: ToolEntry = {
  tool: 'tls-floor-openssl',
  version: '1.1.1w',
  variant: 'floor1.2-linux-x64-abc123',
  identity: { openssl: '1.1.1w', floor: '1.2', options: ['no-ssl3', 'no-tls1'] },
};

let root: string;
let saved: string | undefined;
beforeEach(() => {
  root = temporaryFolder('tls-floor-toolcache-');
  saved = process.env['RUNNER_TOOL_CACHE'];
  process.env['RUNNER_TOOL_CACHE'] = root;
});
afterEach(() => {
  if (saved === undefined) delete process.env['RUNNER_TOOL_CACHE'];
  else process.env['RUNNER_TOOL_CACHE'] = saved;
  rmSync(root, { recursive: true, force: true });
});

const dirOf = () => path.join(root, entry.tool, '1.1.1', entry.variant);

function lay(opts: { marker?: boolean; sidecar?: string | undefined }): string {
  const dir = dirOf();
  mkdirSync(dir, { recursive: true });
  if (opts.sidecar !== undefined) writeFileSync(path.join(dir, SIDECAR), opts.sidecar);
  if (opts.marker ?? true) writeFileSync(`${dir}.complete`, '');
  return dir;
}

const sidecarOf = (identity: unknown) => JSON.stringify({ identity, builtAt: '2026-11-29T00:00:00Z' });

describe('findEntry', () => {
  it('finds a complete entry whose sidecar identity matches', () => {
    const dir = lay({ sidecar: sidecarOf(entry.identity) });
    expect(findEntry(entry)).toBe(dir);
  });

  it('does not find an entry that does not exist', () => {
    expect(findEntry(entry)).toBeUndefined();
  });

  it('does not find an entry without its .complete marker (a half-written build)', () => {
    lay({ marker: false, sidecar: sidecarOf(entry.identity) });
    expect(findEntry(entry)).toBeUndefined();
  });

  it('does not find an entry whose identity differs (other options, other floor)', () => {
    lay({ sidecar: sidecarOf({ ...entry.identity, floor: '1.3' }) });
    expect(findEntry(entry)).toBeUndefined();
    expect(findEntry({ ...entry, identity: { ...entry.identity, options: ['no-ssl3'] } })).toBeUndefined();
  });

  it('does not find an entry without a sidecar, or with one that is not JSON', () => {
    lay({ sidecar: undefined });
    expect(findEntry(entry)).toBeUndefined();
    writeFileSync(path.join(dirOf(), SIDECAR), '{"identity": ');
    expect(findEntry(entry)).toBeUndefined();
  });

  it('does not find an entry whose sidecar cannot be read (a folder where the file should be)', () => {
    // Not chmod 000: root (as in containers) reads through it. Reading a folder fails for anyone.
    const dir = lay({ sidecar: undefined });
    mkdirSync(path.join(dir, SIDECAR));
    expect(findEntry(entry)).toBeUndefined();
  });
});

describe('completing and discarding an entry', () => {
  it('the sidecar and the marker are never written through a link an archive left there', async () => {
    const outside = path.join(root, '..', `${path.basename(root)}-victim`);
    writeFileSync(outside, 'precious');
    await openEntry(entry);
    mkdirSync(dirOf(), { recursive: true });
    symlinkSync(outside, path.join(dirOf(), SIDECAR));
    symlinkSync(outside, `${dirOf()}.complete`);
    await completeEntry(entry);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(lstatSync(path.join(dirOf(), SIDECAR)).isFile()).toBe(true);
    expect(lstatSync(`${dirOf()}.complete`).isFile()).toBe(true);
    expect(findEntry(entry)).toBe(dirOf());
    rmSync(outside);
  });

  it('a discarded entry takes its empty parents (tool and version folders) with it, not a sibling', async () => {
    await openEntry(entry);
    mkdirSync(dirOf(), { recursive: true });
    writeFileSync(path.join(dirOf(), 'half-written'), 'x');
    await discardEntry(entry);
    expect(readdirSync(root)).toEqual([]);
    const sibling = path.join(root, entry.tool, '1.1.1', 'other-variant');
    mkdirSync(sibling, { recursive: true });
    await openEntry(entry);
    mkdirSync(dirOf(), { recursive: true });
    await discardEntry(entry);
    expect(readdirSync(path.join(root, entry.tool, '1.1.1'))).toEqual(['other-variant']);
  });
});
