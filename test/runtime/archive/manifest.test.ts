import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveRefused, compressionOf, MANIFEST_NAME } from '../../../src/runtime/archive/format.js';
import { readArchive } from '../../../src/runtime/archive/list.js';
import { asTheActionSays } from '../../fixtures/refusals.js';
import { requireTool } from '../../fixtures/requirements.js';
import { temporaryFolder } from '../../fixtures/temporary.js';

// Archives made by the machine's tar, as a user or another run would make them: GNU format
// (the default here) and pax (what macOS bsdtar writes), read without extracting anything.
requireTool('tar');
const dir = temporaryFolder('tls-floor-manifest-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = {
  format: 1,
  createdAt: '2026-11-29T00:00:00.000Z',
  members: ['tls-floor-python/3.11.2/x'],
  note: 'ünïcode ✓',
};
// Longer than the 100 bytes a ustar name field holds: pax or GNU long-name records carry it.
const LONG = `tls-floor-python/3.11.2/${'a'.repeat(60)}/${'b'.repeat(60)}/lib.so`;

let count = 0;
/** A tree with the given first member, then a long-named file and a symbolic link, as tar.gz. */
function archive(opts: { format?: 'gnu' | 'pax'; first?: [string, string]; members?: boolean } = {}): string {
  const root = path.join(dir, `tree${count++}`);
  const [firstName, firstBody] = opts.first ?? [MANIFEST_NAME, JSON.stringify(manifest)];
  mkdirSync(path.dirname(path.join(root, LONG)), { recursive: true });
  writeFileSync(path.join(root, firstName), firstBody);
  writeFileSync(path.join(root, LONG), 'x');
  symlinkSync('lib.so', path.join(path.dirname(path.join(root, LONG)), 'lib.so.1'));
  const file = path.join(dir, `archive${count}.tar.gz`);
  const members = opts.members === false ? [] : ['tls-floor-python'];
  execFileSync('tar', [`--format=${opts.format ?? 'gnu'}`, '-czf', file, '-C', root, firstName, ...members]);
  return file;
}

describe('readArchive', () => {
  it.each(['gnu', 'pax'] as const)(
    'reads the manifest and every member of a %s archive made by tar',
    async (format) => {
      const { manifest: read, members } = await readArchive(archive({ format }));
      expect(read).toEqual(manifest);
      expect(members).toContainEqual({ path: LONG, type: 'File' });
      expect(members).toContainEqual({
        path: `${path.dirname(LONG)}/lib.so.1`,
        type: 'SymbolicLink',
        linkpath: 'lib.so',
      });
      expect(members.map((m) => m.path)).not.toContain(MANIFEST_NAME);
    },
  );

  it('pax headers really are in the pax archive (the case above is not GNU in disguise)', () => {
    const raw = (file: string) => gunzipSync(readFileSync(file)).toString('latin1');
    expect(raw(archive({ format: 'pax' }))).toMatch(/\d+ path=tls-floor-python\//);
    expect(raw(archive({ format: 'gnu' }))).not.toMatch(/\d+ path=/);
  });

  it('reads a zstd archive where this Node.js has zstd, and otherwise refuses it in one line', async () => {
    requireTool('zstd');
    const gz = archive();
    const file = path.join(dir, 'archive.tar.zst');
    execFileSync('sh', ['-c', 'gzip -dc "$1" | zstd -q -19 --long=27 -o "$2"', 'sh', gz, file]);
    expect(await compressionOf(file)).toBe('zstd');
    expect(await compressionOf(gz)).toBe('gzip');
    if (typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function') {
      const { manifest: read, members, compression } = await readArchive(file);
      expect(compression).toBe('zstd');
      expect(read).toEqual(manifest);
      expect(members).toEqual((await readArchive(gz)).members);
    } else {
      await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(
        /^runtime-archive-url: the archive is refused: it is zstd-compressed, and this Node\.js \(v\d+[.\d]*\) has no zstd\.$/,
      );
    }
  });

  it('refuses a zstd archive whose window is larger than 128 MiB (the memory it would take)', async () => {
    if (typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress !== 'function') return;
    const gz = archive();
    const file = path.join(dir, 'wide.tar.zst');
    execFileSync('sh', ['-c', 'gzip -dc "$1" | zstd -q --long=30 -o "$2"', 'sh', gz, file]);
    await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(
      /^runtime-archive-url: the archive is refused: it is not a readable \.tar\.zst/,
    );
  });

  it('the manifest alone, without the members', async () => {
    expect((await readArchive(archive({ format: 'pax', members: false }))).manifest).toEqual(manifest);
  });
});

describe('readArchive refuses', () => {
  const refused = /^runtime-archive-url: the archive is refused: /;

  it('an archive whose first member is not the manifest', async () => {
    const file = archive({ first: ['README', 'hello'] });
    await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(refused);
    await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(
      `it is not a tls-floor runtime archive (the first member must be ${MANIFEST_NAME}).`,
    );
  });

  it('as a refusal of the archive that names no input (the action names runtime-archive-url)', async () => {
    const refusal = await readArchive(archive({ first: ['README', 'hello'] })).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ArchiveRefused);
    expect(refusal).toMatchObject({ subject: 'archive' });
    expect((refusal as Error).message).not.toMatch(/runtime-archive|runtime-index/);
  });

  it('a manifest that is not JSON', async () => {
    await expect(
      asTheActionSays(() => readArchive(archive({ first: [MANIFEST_NAME, '{"format": 1,'] }))),
    ).rejects.toThrow(`runtime-archive-url: the archive is refused: its ${MANIFEST_NAME} is not JSON.`);
  });

  it('a file that is not a tar.gz', async () => {
    const file = path.join(dir, 'not.tar.gz');
    writeFileSync(file, 'this is not an archive\n'.repeat(100));
    await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(refused);
  });

  it('a truncated archive', async () => {
    const whole = readFileSync(archive());
    const file = path.join(dir, 'truncated.tar.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(
      /^runtime-archive-url: the archive is refused: it is not a readable \.tar\.gz/,
    );
  });

  it('an empty archive', async () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const file = path.join(dir, 'empty.tar.gz');
    execFileSync('tar', ['-czf', file, '-C', empty, '--files-from', '/dev/null']);
    await expect(asTheActionSays(() => readArchive(file))).rejects.toThrow(refused);
  });
});
