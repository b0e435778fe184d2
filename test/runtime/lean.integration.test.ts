import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leanLines, leanPython } from '../../src/runtime/lean.js';
import { requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

for (const tool of ['cc', 'strip', 'nm', 'ar', 'readelf']) requireTool(tool);

/** A prefix shaped like a CPython install: a real shared object with symbols, bytecode, two libpython.a. */
function fakePrefix(): { prefix: string; so: string; a: string; config: string } {
  const prefix = temporaryFolder('tls-floor-lean-');
  const stdlib = path.join(prefix, 'lib', 'python3.11');
  const dynload = path.join(stdlib, 'lib-dynload');
  const config = path.join(stdlib, 'config-3.11-x86_64-linux-gnu');
  const cache = path.join(stdlib, 'json', '__pycache__');
  for (const d of [dynload, config, cache, path.join(prefix, 'bin')]) mkdirSync(d, { recursive: true });
  const c = path.join(prefix, 'm.c');
  writeFileSync(c, 'static int helper(int x) { return x * 2; }\nint exported(int x) { return helper(x) + 1; }\n');
  const so = path.join(dynload, '_m.cpython-311-x86_64-linux-gnu.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O0', '-o', so, c]);
  const o = path.join(config, 'python.o');
  execFileSync('cc', ['-c', '-fPIC', '-o', o, c]);
  for (const level of ['', '.opt-1', '.opt-2'])
    writeFileSync(path.join(cache, `decoder.cpython-311${level}.pyc`), 'pyc');
  const a = path.join(prefix, 'lib', 'libpython3.11.a');
  for (const file of [a, path.join(config, 'libpython3.11.a')]) writeFileSync(file, 'the same static library');
  return { prefix, so, a, config };
}

describe('leanPython: what a runtime does not need', () => {
  it('strips shared objects (their exports stay), drops -O/-OO bytecode, links the second libpython.a', async () => {
    const { prefix, so, a, config } = fakePrefix();
    const symbolsBefore = execFileSync('nm', [so], { encoding: 'utf8' });
    expect(symbolsBefore).toMatch(/ t helper/);
    const o = path.join(config, 'python.o');
    const objectBefore = readFileSync(o);
    const sizeBefore = statSync(so).size;

    const parts = await leanPython(prefix, 'linux');

    expect(statSync(so).size).toBeLessThan(sizeBefore);
    expect(execFileSync('nm', ['-D', so], { encoding: 'utf8' })).toMatch(/ T exported/);
    expect(execFileSync('nm', [so], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).not.toMatch(/helper/);
    // An object file (python.o, linked by embedders) is left as it is.
    expect(readFileSync(o).equals(objectBefore)).toBe(true);
    const cache = path.join(prefix, 'lib', 'python3.11', 'json', '__pycache__');
    expect(existsSync(path.join(cache, 'decoder.cpython-311.pyc'))).toBe(true);
    expect(existsSync(path.join(cache, 'decoder.cpython-311.opt-1.pyc'))).toBe(false);
    expect(existsSync(path.join(cache, 'decoder.cpython-311.opt-2.pyc'))).toBe(false);
    expect(lstatSync(a).isSymbolicLink()).toBe(true);
    expect(readlinkSync(a)).toBe('python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a');
    expect(readFileSync(a, 'utf8')).toBe('the same static library');
    expect(parts.map((p) => p.files)).toEqual([2, 1, 1]);
    expect(leanLines(parts)[0]).toMatch(/^-O\/-OO bytecode .*: 2 files, 0\.0 MiB -> 0\.0 MiB$/);
  });

  it("strips a static library's debug info and LTO bytecode; programs still link it, with LTO or without", async () => {
    const { prefix, a, config } = fakePrefix();
    const c = path.join(prefix, 'm.c');
    const o = path.join(prefix, 'fat.o');
    // As CPython's --with-lto builds its objects with GCC: fat (machine code and GIMPLE).
    execFileSync('cc', ['-c', '-O2', '-g', '-flto', '-ffat-lto-objects', '-fPIC', '-o', o, c]);
    const kept = path.join(config, 'libpython3.11.a');
    for (const file of [a, kept]) {
      rmSync(file);
      execFileSync('ar', ['rcs', file, o]);
    }
    const sections = (file: string) => execFileSync('readelf', ['-S', '--wide', file], { encoding: 'utf8' });
    expect(sections(kept)).toMatch(/\.gnu\.lto_/);
    expect(sections(kept)).toMatch(/\.debug|debuglto/);
    const before = statSync(kept).size;

    const parts = await leanPython(prefix, 'linux');

    expect(lstatSync(a).isSymbolicLink()).toBe(true);
    expect(statSync(kept).size).toBeLessThan(before / 2);
    expect(sections(kept)).not.toMatch(/\.gnu\.lto_|debuglto|\.debug_/);
    expect(parts.at(-1)).toMatchObject({ part: 'debug info and LTO bytecode of the static libraries', files: 1 });
    const main = path.join(prefix, 'main.c');
    writeFileSync(main, 'int exported(int);\nint main(void) { return exported(20); }\n');
    for (const lto of [[], ['-flto']]) {
      const program = path.join(prefix, `main${lto.length}`);
      execFileSync('cc', [...lto, '-O2', '-o', program, main, a]);
      expect(() => execFileSync(program)).toThrow(expect.objectContaining({ status: 41 }));
    }
  });

  it('keeps lib/libpythonX.Y.a when it differs from the config copy', async () => {
    const { prefix, a } = fakePrefix();
    writeFileSync(a, 'another library');
    const parts = await leanPython(prefix, 'linux');
    expect(lstatSync(a).isFile()).toBe(true);
    expect(parts).toHaveLength(2);
  });
});
