import { existsSync } from 'node:fs';
import { lstat, open, readdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { lastLine, runProcess } from '../shared/process.js';
import type { Platform } from './model/platform.js';

/**
 * What a CPython install holds that no use of the runtime needs, taken out after `make
 * install` (docs/runtimes.md, "What a runtime holds", gives the reasons, docs/benchmarks.md the weights):
 *   - the -O and -OO bytecode (*.opt-1.pyc, *.opt-2.pyc): only `python -O` reads it, and it
 *     compiles what it lacks as any missing .pyc is compiled;
 *   - the symbol tables of the interpreter and the extension modules (strip: their code and
 *     the symbols they export or import stay);
 *   - the second copy of the static libpythonX.Y.a: `make install` puts the same file in
 *     lib/ and in lib/pythonX.Y/config-X.Y-*; lib/'s becomes a link to the other, so
 *     `python3-config --ldflags --embed` (-L config-X.Y-*) and pkg-config's python3-embed
 *     (-L lib) both still find it;
 *   - the debug info of the static libraries, and in an optimized build the LTO bytecode of
 *     their objects (their machine code stays).
 * Everything else stays: pip, venv, ensurepip and its wheels, every optional module that
 * built (tkinter and idlelib where _tkinter did), headers, python3-config, sysconfig.
 */
export interface LeanPart {
  part: string;
  files: number;
  /** Bytes before, and after (0 when removed). */
  before: number;
  after: number;
}

export async function leanPython(prefix: string, os: Platform['os']): Promise<LeanPart[]> {
  const lib = path.join(prefix, 'lib');
  const stdlibName = (await readdir(lib)).find((d) => /^python\d+\.\d+t?$/.test(d));
  if (!stdlibName) throw new Error(`no lib/pythonX.Y in ${prefix}`);
  const stdlib = path.join(lib, stdlibName);
  const files = await filesBelow(prefix);
  const parts: LeanPart[] = [];

  const optimized = files.filter((f) => /\.opt-[12]\.pyc$/.test(f.name));
  for (const f of optimized) await rm(f.name);
  parts.push(part('-O/-OO bytecode (*.opt-1.pyc, *.opt-2.pyc)', optimized, 0));

  const binaries = [];
  for (const f of files) if (!f.name.endsWith('.pyc') && (await isElfOrMachO(f.name))) binaries.push(f);
  if (binaries.length) {
    // GNU strip: --strip-unneeded keeps what the dynamic linker needs; Apple's: -x (local symbols).
    const flags = os === 'darwin' ? ['-x'] : ['--strip-unneeded'];
    const run = await runProcess('strip', [...flags, ...binaries.map((b) => b.name)], { timeoutMs: 5 * 60_000 });
    if (run.code !== 0) throw new Error(`strip failed: ${lastLine(run.stderr) ?? `exit ${run.code}`}`);
  }
  let stripped = 0;
  for (const b of binaries) stripped += (await stat(b.name)).size;
  parts.push(part('symbol tables of the interpreter and extension modules (stripped)', binaries, stripped));

  const config = (await readdir(stdlib)).find((d) => d.startsWith('config-'));
  const archive = files.find((f) => f.name === path.join(lib, `lib${stdlibName}.a`));
  const kept = config && path.join(stdlib, config, `lib${stdlibName}.a`);
  if (archive && kept && existsSync(kept) && (await sameBytes(archive.name, kept))) {
    await rm(archive.name);
    await symlink(path.relative(lib, kept), archive.name);
    parts.push(part(`lib/lib${stdlibName}.a (a link to ${path.relative(prefix, kept)})`, [archive], 0));
  }
  if (os !== 'darwin') {
    const archives = [];
    // After the link above: lib/'s copy is a link now, stripped through its target.
    for (const f of files.filter((f) => f.name.endsWith('.a')))
      if ((await isPlainFile(f.name)) && (await head(f.name, 8)).toString('latin1') === '!<arch>\n') archives.push(f);
    const leaner = await Promise.all(archives.map((a) => stripStaticArchive(a.name)));
    if (archives.length) parts.push(part('debug info and LTO bytecode of the static libraries', archives, sum(leaner)));
  }
  return parts;
}

/**
 * A static library's debug info, and the GIMPLE bytecode of a PGO + LTO build's fat objects
 * (`-ffat-lto-objects`: each object holds machine code and the bytecode): 90 MB of a 3.11
 * libpython.a against 10 MB without. The machine code stays, so an embedding program links
 * it as before (without LTO into libpython; it never could from another compiler). Stripped
 * into a copy that replaces the library only where strip succeeds: a library strip cannot
 * read (clang's bitcode objects) stays as it is. Bytes after.
 */
async function stripStaticArchive(file: string): Promise<number> {
  const copy = `${file}.lean`;
  const run = await runProcess(
    'strip',
    ['--strip-debug', '--remove-section=.gnu.lto_*', '--remove-section=.gnu.debuglto_*', '-o', copy, file],
    { timeoutMs: 5 * 60_000 },
  );
  if (run.code === 0) await rename(copy, file);
  else await rm(copy, { force: true });
  return (await stat(file)).size;
}

const sum = (sizes: readonly number[]) => sizes.reduce((n, s) => n + s, 0);

const isPlainFile = (file: string) =>
  lstat(file).then(
    (info) => info.isFile(),
    () => false,
  );

/** The first bytes of a file (fewer where it is shorter). */
async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** One line per part for the build log: what it weighed and weighs. */
export function leanLines(parts: readonly LeanPart[]): string[] {
  const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return parts.map((p) => `${p.part}: ${p.files} files, ${mib(p.before)} -> ${mib(p.after)}`);
}

interface Sized {
  name: string;
  size: number;
}

function part(label: string, files: readonly Sized[], after: number): LeanPart {
  return { part: label, files: files.length, before: sum(files.map((f) => f.size)), after };
}

async function filesBelow(folder: string): Promise<Sized[]> {
  const found: Sized[] = [];
  for (const name of await readdir(folder, { recursive: true })) {
    const file = path.join(folder, name);
    const info = await lstat(file);
    if (info.isFile()) found.push({ name: file, size: info.size });
  }
  return found;
}

/** Executables and shared objects (ELF types 2 and 3, Mach-O 64-bit), not objects, archives or scripts. */
async function isElfOrMachO(file: string): Promise<boolean> {
  const start = await head(file, 18);
  if (start.length < 18) return false;
  if (start.readUInt32BE(0) === 0x7f454c46) return start[16] === 2 || start[16] === 3;
  return start.readUInt32LE(0) === 0xfeedfacf && start.readUInt32LE(12) !== 1; // 1: an object file
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}
