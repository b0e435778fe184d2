import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { planFromInputs } from '../../src/runtime/obtain.js';
import { semverOf } from '../../src/runtime/toolcache.js';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';

// Forged runtime archives, each with its right SHA-256 pinned: the manifest inside is still
// untrusted, and no member may land (or delete) outside the action's own entries.
interface Member {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  link?: string;
  data?: string;
}

// Python's tarfile writes any header we ask for (pax format, as macOS bsdtar writes).
const WRITER = `
import io, json, sys, tarfile
spec = json.load(sys.stdin)
with tarfile.open(spec["out"], "w:gz", format=tarfile.PAX_FORMAT) as tar:
    for m in spec["members"]:
        info = tarfile.TarInfo(m["name"])
        kind = m.get("type", "file")
        info.pax_headers = {"comment": "pax"} if m.get("pax") else {}
        data = m.get("data", "").encode()
        if kind == "dir": info.type, info.mode = tarfile.DIRTYPE, 0o755
        elif kind == "symlink": info.type, info.linkname = tarfile.SYMTYPE, m["link"]
        elif kind == "hardlink": info.type, info.linkname = tarfile.LNKTYPE, m["link"]
        else: info.size, info.mode = len(data), 0o755
        tar.addfile(info, io.BytesIO(data) if kind == "file" else None)
`;

function writeArchive(dir: string, members: Array<Member & { pax?: boolean }>): { file: string; sha256: string } {
  const out = path.join(dir, 'runtime.tar.gz');
  execFileSync('python3', ['-c', WRITER], { input: JSON.stringify({ out, members }) });
  return { file: out, sha256: createHash('sha256').update(readFileSync(out)).digest('hex') };
}

/** A tool cache with a victim folder beside it, and the plan the action makes there. */
function setting() {
  const base = mkdtempSync(path.join(tmpdir(), 'tls-floor-forged-'));
  const toolCache = path.join(base, 'toolcache');
  mkdirSync(toolCache);
  const saved = process.env['RUNNER_TOOL_CACHE'];
  process.env['RUNNER_TOOL_CACHE'] = toolCache;
  const plan = planFromInputs(
    readInputs((n) => ({ 'python-version': '3.11.2', 'openssl-version': '3.0.22' })[n] ?? '').build,
    '1.2',
  );
  if (saved === undefined) delete process.env['RUNNER_TOOL_CACHE'];
  else process.env['RUNNER_TOOL_CACHE'] = saved;
  const { jobs: _jobs, ...portable } = plan;
  const folders = [plan.openssl.entry, plan.python.entry].map((e) => `${e.tool}/${semverOf(e.version)}/${e.variant}`);
  const manifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    plan: portable,
    toolCacheRoot: toolCache,
    members: folders,
    report: {},
  };
  return { base, toolCache, plan, manifest, folders };
}

function victim(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'keep-me'), 'precious');
  return dir;
}

const install = (toolCache: string, archive: { file: string; sha256: string }) =>
  runAction(
    { 'runtime-archive-url': archive.file, 'runtime-archive-sha256': archive.sha256 },
    { RUNNER_TOOL_CACHE: toolCache },
  );

describe('a forged manifest (tool, version or variant with ../)', () => {
  it.each([
    ['tool', (e: { tool: string }) => (e.tool = '../victim')],
    ['version', (e: { version: string }) => (e.version = '../../victim')],
    ['variant', (e: { variant: string }) => (e.variant = '../../../victim')],
  ] as const)(
    'in the %s: refused before anything is deleted or written',
    async (_field, forge) => {
      const s = setting();
      const entry = s.manifest.plan.python.entry as { tool: string; version: string; variant: string };
      (forge as (e: typeof entry) => void)(entry);
      // What the old code removed with rm -rf: the entry's folder, as the manifest names it.
      const target = victim(path.resolve(s.toolCache, entry.tool, semverOf(entry.version), entry.variant));
      expect(path.relative(s.toolCache, target).startsWith('..')).toBe(true);
      s.manifest.members[1] = path.join(entry.tool, semverOf(entry.version), entry.variant);
      const archive = writeArchive(s.base, [
        { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) },
        { name: `${s.manifest.members[1]}/bin/python3`, data: '#!/bin/sh\n' },
      ]);
      const run = await install(s.toolCache, archive);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^::error::runtime-archive-url: the archive is refused: its manifest names the tool-cache entry .*victim.*, not tls-floor-python\/3\.11\.2\/\S+, which this action makes for CPython 3\.11\.2\.$/m,
      );
      expect(readFileSync(path.join(target, 'keep-me'), 'utf8')).toBe('precious');
      expect(readdirSync(s.toolCache)).toEqual([]);
    },
    60_000,
  );

  it("a tool-cache root in the manifest other than this runner's is never used as a path", async () => {
    // Runtimes are relocatable (build format 2), so another root is no reason to refuse; the
    // root the manifest names is only data: nothing is written or removed there.
    const s = setting();
    const elsewhere = victim(path.join(s.base, 'elsewhere'));
    s.manifest.toolCacheRoot = elsewhere;
    const archive = writeArchive(s.base, [{ name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) }]);
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/built in the tool cache/);
    // Past every check of the manifest: it fails at unpacking (it holds no runtime at all).
    expect(run.stdout).toMatch(/^::error::tls-floor: cannot extract .*Not found in archive/m);
    expect(readdirSync(elsewhere)).toEqual(['keep-me']);
  }, 60_000);

  it('a manifest of an older build format (before relocatable runtimes) is refused with what to do', async () => {
    const s = setting();
    s.manifest.plan.python.entry.identity['format'] = 1;
    const archive = writeArchive(s.base, [{ name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) }]);
    const run = await install(s.toolCache, archive);
    expect(run.stdout).toMatch(
      /^::error::runtime-archive-url: the archive is refused: it holds a runtime of build format 1, this action installs build format 2 \(relocatable\); make it again with create-archive\./m,
    );
  }, 60_000);
});

describe('forged members: refused with a line that says so, before anything is extracted', () => {
  it.each<[string, (folders: string[], base: string) => Array<Member & { pax?: boolean }>, RegExp]>([
    [
      'a name with ..',
      (f) => [{ name: `${f[1]}/../../../../victim-file`, data: 'x' }],
      /member '.*\/\.\.\/\.\.\/\.\.\/\.\.\/victim-file' contains '\.\.'/,
    ],
    [
      'an absolute name',
      (_f, base) => [{ name: `${base}/absolute-victim`, data: 'x' }],
      /member '\/.*\/absolute-victim' has an absolute name/,
    ],
    [
      'a symbolic link out of the entry',
      (f) => [{ name: `${f[1]}/lib`, type: 'symlink', link: '/etc' }],
      /member '.*\/lib' is a symbolic link to '\/etc', outside its folder/,
    ],
    [
      'a relative symbolic link out of the entry',
      (f) => [{ name: `${f[1]}/bin/python3`, type: 'symlink', link: '../../../../../victim' }],
      /is a symbolic link to '\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/victim', outside its folder/,
    ],
    [
      'a member below a link',
      (f) => [
        { name: `${f[1]}/lib`, type: 'symlink', link: 'bin' },
        { name: `${f[1]}/lib/x`, data: 'x' },
      ],
      /member '.*\/lib\/x' lies below the link/,
    ],
    [
      'a hard link out of the entry',
      (f) => [{ name: `${f[0]}/evil`, type: 'hardlink', link: `${f[1]}/bin/python3` }],
      /member '.*\/evil' is a hard link to '.*', outside its folder/,
    ],
    [
      'a hard link to an absolute path',
      (f) => [{ name: `${f[1]}/evil`, type: 'hardlink', link: '/etc/passwd' }],
      /is a hard link to '\/etc\/passwd', outside its folder/,
    ],
    [
      'a member outside both entries',
      () => [{ name: 'tls-floor-python/other/victim', data: 'x' }],
      /member 'tls-floor-python\/other\/victim' is outside the folders its manifest names/,
    ],
  ])(
    '%s',
    async (_name, members, message) => {
      const s = setting();
      const archive = writeArchive(s.base, [
        { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest), pax: true },
        { name: `${s.folders[1]}/bin/python3`, data: '#!/bin/sh\n' },
        ...members(s.folders, s.base),
      ]);
      const run = await install(s.toolCache, archive);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(
          `^::error::runtime-archive-url: the archive is refused: (member '[^']*' )?${message.source}.*\\. Nothing was extracted\\.$`,
          'm',
        ),
      );
      expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
      expect(readdirSync(s.toolCache)).toEqual([]);
      expect(existsSync(path.join(s.base, 'victim-file'))).toBe(false);
      expect(existsSync(path.join(s.base, 'absolute-victim'))).toBe(false);
      expect(childProcesses()).toEqual([]);
    },
    60_000,
  );

  it('a manifest behind a pax header (macOS bsdtar) is read; the runtime is then verified, not trusted', async () => {
    const s = setting();
    const archive = writeArchive(s.base, [
      { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest), pax: true },
      { name: `${s.folders[0]}/include/openssl/opensslv.h`, data: '/* not OpenSSL */\n', pax: true },
      { name: `${s.folders[1]}/bin/python3`, data: '#!/bin/sh\necho not python\n', pax: true },
    ]);
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/first member/);
    // The verification and the relocation check run side by side; either may say it first.
    expect(run.stdout).toMatch(
      /^::error::tls-floor: .*bin\/python3 could not run the (verification|relocation check)/m,
    );
    // The failed install leaves no entry behind, complete or not.
    expect(
      readdirSync(s.toolCache, { recursive: true })
        .map(String)
        .filter((f) => f.split(path.sep).length > 2),
    ).toEqual([]);
  }, 60_000);
});
