import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clip } from '../shared/errors.js';
import { lastLine, runProcess } from '../shared/process.js';
import type { BuildPlan } from './model/plan.js';

/**
 * A relocatable runtime works from whatever folder it is unpacked into, as python-build-
 * standalone's do: a tool cache is /opt/hostedtoolcache on hosted Linux, _work/_tool on a
 * self-hosted runner and /__t in a container job. What would pin it to its build folder:
 *   - the interpreter's prefix: a static (non --enable-shared) CPython finds it from its own
 *     executable (getpath searches upward for lib/pythonX.Y/os.py); nothing to do;
 *   - the shebangs of bin/ scripts (pip, pydoc, ...): rewritten to a /bin/sh trampoline
 *     that runs the python beside the script;
 *   - _sysconfigdata_*.py (compiler and linker paths for extension builds): rewritten at
 *     import time from the build's tool-cache root to the one the runtime now sits in;
 *   - pkg-config files: prefix relative to the .pc file (${pcfiledir});
 *   - OPENSSLDIR, compiled into libcrypto inside _ssl: the system's own (see systemOpensslDir).
 */

/** First format whose archives install under any tool-cache root. */
export const RELOCATABLE_FORMAT = 2;

export function isRelocatable(plan: Pick<BuildPlan, 'python'>): boolean {
  const format = plan.python.entry.identity['format'];
  return typeof format === 'number' && format >= RELOCATABLE_FORMAT;
}

/** Debian/Ubuntu, RHEL/Fedora, then Alpine, openSUSE and macOS. */
const OPENSSLDIR_CANDIDATES = ['/usr/lib/ssl', '/etc/pki/tls', '/etc/ssl', '/private/etc/ssl'];

/**
 * The OPENSSLDIR the hardened OpenSSL is built with: the system OpenSSL's own (what
 * `openssl version -d` says), so that cert.pem and certs/ are the OS's trust store, kept
 * current by the OS, wherever the runtime is unpacked. Without a system openssl, the first
 * folder that holds a CA bundle. Never a folder inside the tool cache: that path is
 * compiled into libcrypto and would not move with the runtime.
 */
export async function systemOpensslDir(): Promise<string> {
  const root = process.env['RUNNER_TOOL_CACHE'];
  // Asked for by every plan (a prebuilt choice plans several): one `openssl` start per run.
  const known = opensslDirs.get(root);
  if (known) return known;
  const dir = await findSystemOpensslDir(root);
  opensslDirs.set(root, dir);
  return dir;
}

const opensslDirs = new Map<string | undefined, string>();

async function findSystemOpensslDir(root: string | undefined): Promise<string> {
  // The OS's own binary first: an `openssl` earlier on PATH may be a conda or Homebrew one.
  for (const openssl of ['/usr/bin/openssl', 'openssl']) {
    // Not there (or failing): the next, then look for the trust store instead.
    const run = await runProcess(openssl, ['version', '-d'], { timeoutMs: 10_000 }).catch(() => undefined);
    const dir = run?.code === 0 ? /^OPENSSLDIR: "([^"]+)"/m.exec(run.stdout)?.[1] : undefined;
    if (dir && path.isAbsolute(dir) && existsSync(dir) && !(root && dir.startsWith(root))) return dir;
  }
  const withBundle = OPENSSLDIR_CANDIDATES.find(
    (d) => existsSync(path.join(d, 'cert.pem')) || existsSync(path.join(d, 'certs')),
  );
  return withBundle ?? '/etc/ssl';
}

/** The first lines of a script that runs `interpreter` ('python3.11') from the script's own folder. */
function trampoline(interpreter: string, args: string): string {
  // Valid sh and valid Python: sh runs the exec line; Python sees a string literal.
  return `#!/bin/sh\n'''exec' "$(dirname -- "$(realpath -- "$0")")/${interpreter}"${args} "$0" "$@"\n' '''\n`;
}

/**
 * Why bin/pip3 would not run pip from this prefix, or undefined: it must start with the
 * trampoline (it runs the interpreter beside it, wherever the prefix now is), that
 * interpreter must be there, and the pip it imports must lie inside the prefix.
 */
function pipProblem(prefix: string, pipOrigin: string | undefined): string | undefined {
  const script = path.join(prefix, 'bin', 'pip3');
  if (!existsSync(script)) return undefined;
  const text = readFileSync(script, 'utf8').slice(0, 400);
  const interpreter = /\/(python[\w.]*)" "\$0"/.exec(text)?.[1];
  if (!interpreter || !text.startsWith(trampoline(interpreter, '')))
    return `bin/pip3 does not start with the relocatable trampoline: ${clip(JSON.stringify(text.split('\n')[0]), 80)}`;
  if (!existsSync(path.join(prefix, 'bin', interpreter))) return `bin/pip3 runs bin/${interpreter}, which is not there`;
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
  if (!pipOrigin || !real(pipOrigin).startsWith(`${real(prefix)}/`))
    return `bin/pip3 would not import pip from ${prefix} (it finds ${pipOrigin ?? 'no pip'})`;
  return undefined;
}

/** Rewrites a script's absolute interpreter line; undefined when it has none of ours. */
export function relocatedScript(text: string, bin: string): string | undefined {
  const esc = bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `#!/prefix/bin/python3.11 [args]`, or pip's own long-path form (a shebang over 127 bytes).
  const direct = new RegExp(`^#!${esc}/(python[\\w.]*)([ \\t][^\\n]*)?\\n`).exec(text);
  if (direct) return trampoline(direct[1]!, direct[2] ? ` ${direct[2].trim()}` : '') + text.slice(direct[0].length);
  const long = new RegExp(`^#!/bin/sh\\n'''exec' ['"]?${esc}/(python[\\w.]*)['"]? "\\$0" "\\$@"\\n' '''\\n`).exec(text);
  if (long) return trampoline(long[1]!, '') + text.slice(long[0].length);
  return undefined;
}

/** Every script in bin/ that names the interpreter by its absolute path: a trampoline. */
export async function relocateScripts(prefix: string): Promise<string[]> {
  const bin = path.join(prefix, 'bin');
  const changed: string[] = [];
  for (const name of await readdir(bin)) {
    const file = path.join(bin, name);
    const info = await lstat(file);
    if (!info.isFile() || info.size > 1024 * 1024) continue;
    const text = await readFile(file, 'utf8').catch(() => '');
    const rewritten = text.startsWith('#!') ? relocatedScript(text, bin) : undefined;
    if (rewritten === undefined) continue;
    await writeFile(file, rewritten, { mode: info.mode });
    changed.push(name);
  }
  return changed;
}

/**
 * Appended to _sysconfigdata_*.py: at import, every path under the build's tool-cache root
 * is moved to the root this runtime now sits in (found from sys.base_prefix and the
 * runtime's folder below the root), so LIBDIR, INCLUDEPY, the OpenSSL include and library
 * flags and the rest point at this install.
 */
export function sysconfigHook(builtRoot: string, member: string): string {
  return `
# tls-floor: the runtime is relocatable. Paths recorded under the tool cache it was built in
# are rewritten to the tool cache it runs from.
def _tls_floor_relocate(values, built=${JSON.stringify(builtRoot)}, member=${JSON.stringify(member)}):
    import os, sys
    prefix = os.path.normpath(sys.base_prefix)
    tail = os.sep + os.path.normpath(member)
    if prefix.endswith(tail):
        old, new = built, prefix[: -len(tail)]
    else:
        old, new = os.path.join(built, member), prefix
    if old == new:
        return values
    return {k: (v.replace(old, new) if isinstance(v, str) else v) for k, v in values.items()}
build_time_vars = _tls_floor_relocate(build_time_vars)
del _tls_floor_relocate
`;
}

/** Adds the hook to each _sysconfigdata file and compiles it again (its .pyc is stale; no -O ones: lean.ts). */
export async function relocateSysconfig(python: string, prefix: string, builtRoot: string): Promise<string[]> {
  const lib = path.join(prefix, 'lib');
  // lib/python3.13t for a free-threaded build (its _sysconfigdata_t_*.py inside).
  const stdlib = readdirSync(lib).find((d) => /^python\d+\.\d+t?$/.test(d));
  if (!stdlib) throw new Error(`no lib/pythonX.Y or lib/pythonX.Yt in ${prefix}`);
  const files = readdirSync(path.join(lib, stdlib))
    .filter((f) => /^_sysconfigdata_.*\.py$/.test(f))
    .map((f) => path.join(lib, stdlib, f));
  const member = path.relative(builtRoot, prefix);
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (!text.includes('_tls_floor_relocate')) await writeFile(file, text + sysconfigHook(builtRoot, member));
  }
  const compile = `import compileall, sys\nfor f in sys.argv[1:]:\n    assert compileall.compile_file(f, force=True, quiet=1, optimize=[0])`;
  const run = await runProcess(python, ['-E', '-s', '-c', compile, ...files], { timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`cannot compile ${files.join(', ')}: ${lastLine(run.stderr) ?? ''}`);
  return files;
}

/** pkg-config files: `prefix=${pcfiledir}/../..` instead of the absolute build prefix. */
export async function relocatePkgConfig(prefix: string): Promise<string[]> {
  const dir = path.join(prefix, 'lib', 'pkgconfig');
  if (!existsSync(dir)) return [];
  const changed: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.pc'))) {
    const file = path.join(dir, name);
    if ((await lstat(file)).isSymbolicLink()) continue;
    const text = await readFile(file, 'utf8');
    // pkg-config's own variable, written literally into the .pc file.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: not a JavaScript template
    const rewritten = text.replaceAll(prefix, '${pcfiledir}/../..');
    if (rewritten !== text) {
      await writeFile(file, rewritten);
      changed.push(name);
    }
  }
  return changed;
}

/** Run after `make install`: the CPython prefix no longer depends on where it sits. */
export async function makePythonRelocatable(python: string, prefix: string): Promise<void> {
  const builtRoot = path.dirname(path.dirname(path.dirname(prefix)));
  await relocateScripts(prefix);
  await relocateSysconfig(python, prefix, builtRoot);
  await relocatePkgConfig(prefix);
}

/**
 * After an install at a new place: the interpreter, its paths and a script all name the new
 * prefix and nothing of the folder it was built in. Returns the problems, none when it moved.
 */
export async function relocationProblems(
  python: string,
  prefix: string,
  builtRoot: string | undefined,
): Promise<string[]> {
  // One interpreter start answers it all, where pip imports from included: running bin/pip3
  // (importing all of pip) cost a second of every prebuilt install.
  const check = `
import importlib.util, json, sys, sysconfig
paths = sysconfig.get_paths()
keys = ("LIBDIR", "INCLUDEPY", "BINDIR", "LIBPL", "CONFINCLUDEPY")
pip = importlib.util.find_spec("pip")
print(json.dumps({"prefix": sys.prefix, "paths": paths, "vars": {k: sysconfig.get_config_var(k) for k in keys}, "pip": pip and pip.origin}))
`;
  const run = await runProcess(python, ['-E', '-s', '-c', check], { timeoutMs: 60_000 });
  if (run.code !== 0) return [`${python} cannot report its paths: ${lastLine(run.stderr) ?? ''}`];
  let seen: { prefix: string; paths: Record<string, string>; vars: Record<string, string | null>; pip?: string | null };
  try {
    seen = JSON.parse(run.stdout);
  } catch {
    return [`${python} could not run the relocation check: it printed ${clip(JSON.stringify(run.stdout.trim()), 80)}`];
  }
  if (typeof seen?.prefix !== 'string' || typeof seen.paths !== 'object') {
    return [`${python} could not run the relocation check: it reported no paths`];
  }
  const problems: string[] = [];
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
  if (real(seen.prefix) !== real(prefix)) problems.push(`sys.prefix is ${seen.prefix}, not ${prefix}`);
  for (const [name, value] of [...Object.entries(seen.paths), ...Object.entries(seen.vars)]) {
    if (typeof value !== 'string') continue;
    if (builtRoot && !prefix.startsWith(`${builtRoot}/`) && value.startsWith(`${builtRoot}/`))
      problems.push(`${name} is ${value}, in the folder it was built in`);
  }
  const pip = pipProblem(prefix, seen.pip ?? undefined);
  if (pip) problems.push(pip);
  return problems;
}
