import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs/inputs.js';
import type { ArchiveMember } from '../../../src/runtime/archive/list.js';
import { memberProblem } from '../../../src/runtime/archive/members.js';
import { planFromInputs } from '../../../src/runtime/obtain.js';
import { semverOf } from '../../../src/runtime/toolcache.js';
import { runAction } from '../../fixtures/action.js';
import { childProcesses } from '../../fixtures/processes.js';
import { requireTool } from '../../fixtures/requirements.js';
import { gzippedFill, TAR_END, ustarHeader, ustarMember } from '../../fixtures/tar.js';
import { temporaryFolder } from '../../fixtures/temporary.js';

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
import gzip, io, json, sys, tarfile
spec = json.load(sys.stdin)
body = io.BytesIO()
with tarfile.open(fileobj=body, mode="w", format=tarfile.PAX_FORMAT) as tar:
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
# Zeros after the end-of-archive blocks (tar -b writes up to a record; some writers more).
with gzip.open(spec["out"], "wb") as out:
    out.write(body.getvalue() + bytes(spec.get("trailing", 0)))
`;

function writeArchive(
  dir: string,
  members: Array<Member & { pax?: boolean }>,
  trailing = 0,
): { file: string; sha256: string } {
  const out = path.join(dir, 'runtime.tar.gz');
  execFileSync('python3', ['-c', WRITER], { input: JSON.stringify({ out, members, trailing }) });
  return { file: out, sha256: createHash('sha256').update(readFileSync(out)).digest('hex') };
}

/** A tool cache with a victim folder beside it, and the plan the action makes there. */
async function setting() {
  const base = temporaryFolder('tls-floor-forged-');
  const toolCache = path.join(base, 'toolcache');
  mkdirSync(toolCache);
  const saved = process.env['RUNNER_TOOL_CACHE'];
  process.env['RUNNER_TOOL_CACHE'] = toolCache;
  const plan = await planFromInputs(
    (await readInputs((n) => ({ 'python-version': '3.11.2', 'openssl-version': '3.0.22' })[n] ?? '')).build,
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
      const s = await setting();
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
    const s = await setting();
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
    const s = await setting();
    s.manifest.plan.python.entry.identity['format'] = 1;
    const archive = writeArchive(s.base, [{ name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) }]);
    const run = await install(s.toolCache, archive);
    expect(run.stdout).toMatch(
      /^::error::runtime-archive-url: the archive is refused: it holds a runtime of build format 1, this action installs build format 3 \(relocatable\); make it again with create-archive\./m,
    );
  }, 60_000);
});

describe("an index's archive is refused under runtime-index, for the reason the given archive would be", () => {
  it('an archive that is not a tls-floor runtime archive, listed for exactly this plan', async () => {
    const s = await setting();
    const archive = writeArchive(s.base, [{ name: 'README', data: 'hello' }]);
    const { plan } = s;
    const entry = {
      url: archive.file,
      sha256: archive.sha256,
      bytes: statSync(archive.file).size,
      python: plan.python.source.version,
      openssl: plan.openssl.source.version,
      floor: plan.floor,
      buildFormat: plan.python.entry.identity['format'],
      identity: { openssl: plan.openssl.entry.identity, python: plan.python.entry.identity },
      platform: plan.platform,
    };
    const index = path.join(s.base, 'index.json');
    writeFileSync(index, JSON.stringify({ format: 1, runtimes: [entry] }));
    const run = await runAction(
      { 'python-version': '3.11.2', 'openssl-version': '3.0.22', 'runtime-index': index, 'runtime-cache': 'false' },
      { RUNNER_TOOL_CACHE: s.toolCache },
    );
    expect(run.code).toBe(1);
    // It named runtime-archive-url, an input not given, before the refusals were typed.
    expect(run.stdout).toMatch(
      /^::error::runtime-index: the archive at \S+runtime\.tar\.gz is refused: it is not a tls-floor runtime archive \(the first member must be tls-floor-runtime\.json\)\.$/m,
    );
    expect(readdirSync(s.toolCache)).toEqual([]);
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
      const s = await setting();
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

  // tar stops reading at the end-of-archive blocks: whatever follows (a record's padding, or
  // more) may be fed after it exited. That pipe closing early is no failure of extraction.
  it.each([
    ['a manifest behind a pax header (macOS bsdtar) is read', 0],
    ['an archive with 4 MiB of zeros after its end-of-archive blocks is extracted', 4 << 20],
  ])(
    '%s; the runtime is then verified, not trusted',
    async (_name, trailing) => {
      const s = await setting();
      const archive = writeArchive(
        s.base,
        [
          { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest), pax: true },
          { name: `${s.folders[0]}/include/openssl/opensslv.h`, data: '/* not OpenSSL */\n', pax: true },
          { name: `${s.folders[1]}/bin/python3`, data: '#!/bin/sh\necho not python\n', pax: true },
        ],
        trailing,
      );
      const run = await install(s.toolCache, archive);
      expect(run.code).toBe(1);
      expect(run.stdout).not.toMatch(/first member|cannot extract/);
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
    },
    60_000,
  );
});

describe('an index entry and a version spec, judged in the terms the user gave', () => {
  it('a non-tar index entry is refused naming runtime-index (the input given), not runtime-archive-url', async () => {
    const s = await setting();
    const folder = temporaryFolder('tls-floor-index-nontar-');
    const bytes = Buffer.from('<html>this is not a tarball</html>\n');
    writeFileSync(path.join(folder, 'runtime.tar.gz'), bytes);
    const entry = {
      url: 'runtime.tar.gz',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      python: '3.11.2',
      openssl: '3.0.22',
      floor: '1.2',
      buildFormat: 2,
      identity: { python: s.plan.python.entry.identity, openssl: s.plan.openssl.entry.identity },
      platform: s.plan.platform,
    };
    writeFileSync(path.join(folder, 'index.json'), JSON.stringify({ format: 1, runtimes: [entry] }));
    const run = await runAction(
      { 'python-version': '3.11.2', 'openssl-version': '3.0.22', 'runtime-index': path.join(folder, 'index.json') },
      { RUNNER_TOOL_CACHE: s.toolCache },
    );
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::runtime-index: the archive at file:\/\/.*\/runtime\.tar\.gz is refused: it is not a readable \.tar\.gz/,
    );
    expect(readdirSync(s.toolCache)).toEqual([]);
  }, 60_000);

  it('python-version 3.11 with a 3.11.2 archive is matched as a spec; 3.12 is refused saying so', async () => {
    const s = await setting();
    const archive = writeArchive(s.base, [{ name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) }]);
    const given = { 'runtime-archive-url': archive.file, 'runtime-archive-sha256': archive.sha256 };
    const line = await runAction({ ...given, 'python-version': '3.11' }, { RUNNER_TOOL_CACHE: s.toolCache });
    expect(line.stdout).not.toMatch(/not the requested/);
    // Past every check of the manifest: it fails at unpacking (it holds no runtime at all).
    expect(line.stdout).toMatch(/^::error::tls-floor: cannot extract .*Not found in archive/m);
    const other = await runAction({ ...given, 'python-version': '3.12' }, { RUNNER_TOOL_CACHE: s.toolCache });
    expect(other.stdout).toMatch(
      /^::error::runtime-archive-url: the archive is refused: it holds CPython 3\.11\.2, which does not match the requested '3\.12'\.$/m,
    );
  }, 60_000);
});

describe('links are followed as the file system would follow them, before anything is written', () => {
  // c -> ., u1 -> c/.., u2 -> u1/.., ... u20 -> u19/..: each looks inside the folder to a
  // lexical check (u1 is 'c/..', the folder itself), yet u20 is 20 folders up, at /.
  const chain = (folder: string, through: string): Member[] => [
    { name: `${folder}/c`, type: 'symlink', link: '.' },
    { name: `${folder}/u1`, type: 'symlink', link: 'c/..' },
    ...Array.from({ length: 19 }, (_, i) => ({
      name: `${folder}/u${i + 2}`,
      type: 'symlink' as const,
      link: `u${i + 1}/..`,
    })),
    // The sidecar the installer writes, as a link through the chain to a file outside.
    { name: `${folder}/tls-floor.json`, type: 'symlink', link: `u20${through}` },
  ];

  it('a chain of links that climbs out (u20 -> u19/.. ... u1 -> c/.., c -> .) is refused; nothing is written', async () => {
    const s = await setting();
    const victim = path.join(s.base, 'victim-sidecar');
    writeFileSync(victim, 'precious');
    const archive = writeArchive(s.base, [
      { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) },
      { name: `${s.folders[1]}/bin/python3`, data: '#!/bin/sh\n' },
      ...chain(s.folders[1]!, victim),
    ]);
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      `::error::runtime-archive-url: the archive is refused: member '${s.folders[1]}/u1' is a symbolic link to 'c/..', outside its folder. Nothing was extracted.`,
    ]);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readdirSync(s.toolCache)).toEqual([]);
  }, 60_000);

  const F = 'tls-floor-python/3.13.15/x64-tls1.2';
  const links = (...members: Array<[string, string, ('symlink' | 'hardlink')?]>) =>
    members.map(([name, linkpath, kind]) => ({
      path: `${F}/${name}`,
      type: kind === 'hardlink' ? 'Link' : 'SymbolicLink',
      linkpath: kind === 'hardlink' ? `${F}/${linkpath}` : linkpath,
    }));

  it.each<[string, ArchiveMember[]]>([
    ['the shared-library links a build makes', links(['lib/libpython3.13.so', 'libpython3.13.so.1.0'])],
    ['bin/python3 -> python3.13 and a link to a link', links(['bin/python3', 'python3.13'], ['bin/py', 'python3'])],
    ['a link up and down inside the folder', links(['lib/pkgconfig/x.pc', '../../include/x.pc'])],
    ['a link through a link to a folder, staying inside', links(['share', 'lib'], ['include/y', '../share/z'])],
    ['a hard link to a file in the folder', [...links(['bin/python3.13', 'bin/python3', 'hardlink'])]],
  ])('accepted: %s', (_what, members) => {
    expect(memberProblem(members, [F])).toBeUndefined();
  });

  it.each<[string, ArchiveMember[], RegExp]>([
    ['a link to the folder above', links(['up', '..']), /'.*\/up' is a symbolic link to '\.\.', outside/],
    [
      'a link that leaves and comes back (the way runs through the tool cache)',
      links(['back', '../x64-tls1.2/bin']),
      /'.*\/back' is a symbolic link to '\.\.\/x64-tls1\.2\/bin', outside/,
    ],
    [
      '.. after a link to a deeper folder: the kernel takes it from where the link led',
      links(['deep', 'lib/python3.13'], ['esc', 'deep/../../..']),
      /'.*\/esc' is a symbolic link to 'deep\/\.\.\/\.\.\/\.\.', outside/,
    ],
    ['a loop of links', links(['a', 'b/x'], ['b', 'a/y']), /'.*\/a' is a symbolic link to 'b\/x', outside/],
    [
      'a hard link whose way runs through a link out',
      links(['out', '..'], ['stolen', 'out/../../etc/passwd', 'hardlink']),
      /'.*\/out' is a symbolic link/,
    ],
    [
      'a hard link through a link inside (link(2) would follow it)',
      links(['l', 'bin'], ['h', 'l/python3', 'hardlink']),
      /'.*\/h' is a hard link to '.*\/l\/python3', outside its folder/,
    ],
    [
      'a name given twice (a file, then a link over it)',
      [{ path: `${F}/bin/python3`, type: 'File' }, ...links(['bin/python3', 'python3.13'])],
      /'.*\/bin\/python3' is given twice/,
    ],
    [
      'the folder itself as a link',
      [{ path: F, type: 'SymbolicLink', linkpath: '.' }],
      /is a SymbolicLink, not a folder/,
    ],
  ])('refused: %s', (_what, members, message) => {
    expect(memberProblem(members, [F])).toMatch(message);
  });
});

describe('what an archive unpacks to is capped while it is read (limits.ts), before anything is extracted', () => {
  /** A gzip stream from raw tar parts: the manifest first, as create-archive writes it. */
  const rawArchive = (dir: string, manifest: object, ...parts: Buffer[]) => {
    const file = path.join(dir, 'raw.tar.gz');
    const manifestMember = ustarMember('tls-floor-runtime.json', Buffer.from(JSON.stringify(manifest)));
    writeFileSync(file, Buffer.concat([gzipSync(manifestMember), ...parts, gzipSync(TAR_END)]));
    return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  };

  it('a 2 GiB member in a 15 MiB archive (about 140:1, gzip members end to end) is refused; nothing is written', async () => {
    const s = await setting();
    const big = 2 * 1024 * 1024 * 1024;
    const archive = rawArchive(
      s.base,
      s.manifest,
      gzipSync(ustarHeader({ name: `${s.folders[1]}/lib/libpython.a`, size: big })),
      gzippedFill(big),
    );
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      '::error::runtime-archive-url: the archive is refused: it unpacks to more than 1024 MiB (the most an archive may). Nothing was extracted.',
    ]);
    expect(readdirSync(s.toolCache)).toEqual([]);
    console.log(
      `${(statSync(archive.file).size / 1048576).toFixed(1)} MiB archive of a 2 GiB member: refused in ${(run.ms / 1000).toFixed(1)} s (the whole run)`,
    );
  }, 120_000);

  it('more bytes than its manifest says are refused', async () => {
    const s = await setting();
    const archive = rawArchive(
      s.base,
      { ...s.manifest, unpacked: { members: 2, bytes: 1000 } },
      gzipSync(ustarMember(`${s.folders[1]}/bin/python3`, Buffer.from('#!/bin/sh\n'))),
      gzipSync(ustarMember(`${s.folders[1]}/lib/big`, Buffer.alloc(100_000))),
    );
    const run = await install(s.toolCache, archive);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      '::error::runtime-archive-url: the archive is refused: it unpacks to more than 1000 bytes (what its manifest says, within the most an archive may). Nothing was extracted.',
    ]);
    expect(readdirSync(s.toolCache)).toEqual([]);
  }, 60_000);

  /** The same caps over zstd (what create-archive writes on Node.js 24), by the zstd program. */
  const zstdArchive = (dir: string, script: string, ...args: string[]) => {
    const file = path.join(dir, 'raw.tar.zst');
    execFileSync('sh', ['-c', `{ ${script}; } | zstd -q -3 > "$0"`, file, ...args]);
    return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  };

  it('a 2 GiB member in a zstd archive of a few KiB is refused; nothing is written', async () => {
    requireTool('zstd');
    const s = await setting();
    const big = 2 * 1024 * 1024 * 1024;
    const head = path.join(s.base, 'head.tar');
    writeFileSync(
      head,
      Buffer.concat([
        ustarMember('tls-floor-runtime.json', Buffer.from(JSON.stringify(s.manifest))),
        ustarHeader({ name: `${s.folders[1]}/lib/libpython.a`, size: big }),
      ]),
    );
    const archive = zstdArchive(s.base, 'cat "$1"; head -c "$2" /dev/zero; head -c 1024 /dev/zero', head, String(big));
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      '::error::runtime-archive-url: the archive is refused: it unpacks to more than 1024 MiB (the most an archive may). Nothing was extracted.',
    ]);
    expect(readdirSync(s.toolCache)).toEqual([]);
    console.log(
      `${(statSync(archive.file).size / 1024).toFixed(1)} KiB zstd archive of a 2 GiB member: refused in ${(run.ms / 1000).toFixed(1)} s (the whole run)`,
    );
  }, 120_000);

  it('more bytes than its manifest says are refused in a zstd archive too', async () => {
    requireTool('zstd');
    const s = await setting();
    const tar = path.join(s.base, 'small.tar');
    writeFileSync(
      tar,
      Buffer.concat([
        ustarMember(
          'tls-floor-runtime.json',
          Buffer.from(JSON.stringify({ ...s.manifest, unpacked: { members: 2, bytes: 1000 } })),
        ),
        ustarMember(`${s.folders[1]}/bin/python3`, Buffer.from('#!/bin/sh\n')),
        ustarMember(`${s.folders[1]}/lib/big`, Buffer.alloc(100_000)),
        TAR_END,
      ]),
    );
    const archive = zstdArchive(s.base, 'cat "$1"', tar);
    const run = await install(s.toolCache, archive);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      '::error::runtime-archive-url: the archive is refused: it unpacks to more than 1000 bytes (what its manifest says, within the most an archive may). Nothing was extracted.',
    ]);
    expect(readdirSync(s.toolCache)).toEqual([]);
  }, 60_000);

  it('200,000 empty files are refused at the member limit; nothing is written', async () => {
    const s = await setting();
    const headers = Array.from({ length: 200_000 }, (_, i) => ustarHeader({ name: `${s.folders[1]}/f${i}` }));
    const archive = rawArchive(s.base, s.manifest, gzipSync(Buffer.concat(headers), { level: 1 }));
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^::error::.*$/gm)).toEqual([
      '::error::runtime-archive-url: the archive is refused: it unpacks to more than 50000 members (the most an archive may). Nothing was extracted.',
    ]);
    expect(readdirSync(s.toolCache)).toEqual([]);
    console.log(`200,000-file archive: refused in ${(run.ms / 1000).toFixed(1)} s (the whole run)`);
  }, 180_000);
});

describe('a failed or cancelled install leaves the tool cache as it found it (no empty folders)', () => {
  it('a runtime that fails verification: no entry, no marker, no tls-floor-python/<version>/ left', async () => {
    const s = await setting();
    const archive = writeArchive(s.base, [
      { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) },
      { name: `${s.folders[0]}/include/openssl/opensslv.h`, data: '/* not OpenSSL */\n' },
      { name: `${s.folders[1]}/bin/python3`, data: '#!/bin/sh\necho not python\n' },
    ]);
    const run = await install(s.toolCache, archive);
    expect(run.code).toBe(1);
    expect(readdirSync(s.toolCache)).toEqual([]);
  }, 60_000);

  it('cancelled while the runtime is verified: nothing left either', async () => {
    const s = await setting();
    const mark = `${3000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const archive = writeArchive(s.base, [
      { name: 'tls-floor-runtime.json', data: JSON.stringify(s.manifest) },
      { name: `${s.folders[0]}/include/openssl/opensslv.h`, data: '/* not OpenSSL */\n' },
      { name: `${s.folders[1]}/bin/python3`, data: `#!/bin/sh\nsleep ${mark}\n` },
    ]);
    const sleeping = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(`sleep ${mark}`);
    const run = await runAction(
      { 'runtime-archive-url': archive.file, 'runtime-archive-sha256': archive.sha256 },
      { RUNNER_TOOL_CACHE: s.toolCache },
      (child) => {
        const poll = setInterval(() => {
          if (!sleeping()) return;
          clearInterval(poll);
          child.kill('SIGTERM');
        }, 100);
        child.on('exit', () => clearInterval(poll));
      },
    );
    expect(run.stdout).toMatch(/^::error::tls-floor: cancelled \(SIGTERM\) during /m);
    expect(sleeping()).toBe(false);
    expect(readdirSync(s.toolCache)).toEqual([]);
    expect(childProcesses()).toEqual([]);
  }, 60_000);
});
