import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { InputError } from '../shared/errors.js';

/**
 * The CPython version spec in a python-version-file, as actions/setup-python reads it:
 * .python-version (pyenv: the first version line), .tool-versions (asdf: the first version
 * on the python line), or pyproject.toml (project.requires-python, else Poetry's
 * tool.poetry.dependencies.python). Relative paths are from the workspace.
 */
export function specFromVersionFile(
  file: string,
  workspace = process.env['GITHUB_WORKSPACE'] || process.cwd(),
): string {
  const full = path.resolve(workspace, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new InputError(
      `python-version-file: cannot read ${full} (${(error as NodeJS.ErrnoException).code ?? String(error)}); give a .python-version, .tool-versions or pyproject.toml path.`,
    );
  }
  const name = path.basename(full);
  const spec = name.endsWith('.toml')
    ? fromPyproject(text, full)
    : name === '.tool-versions'
      ? fromToolVersions(text)
      : fromPythonVersion(text);
  if (!spec) throw new InputError(`python-version-file: ${full} names no CPython version.`);
  return spec;
}

const meaningful = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);

function fromPythonVersion(text: string): string | undefined {
  const first = meaningful(text)[0];
  if (first && !/^\d/.test(first)) {
    throw new InputError(
      `python-version-file: '${first}' is not a CPython version (this action builds CPython; give e.g. 3.13 or 3.13.5).`,
    );
  }
  return first;
}

function fromToolVersions(text: string): string | undefined {
  const line = meaningful(text).find((l) => /^python\s/.test(l));
  const version = line?.split(/\s+/)[1];
  if (version && !/^\d/.test(version))
    throw new InputError(`python-version-file: python '${version}' in .tool-versions is not a CPython version.`);
  return version;
}

function fromPyproject(text: string, file: string): string | undefined {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(
      `python-version-file: ${file} is not valid TOML: ${String((error as Error).message).split('\n')[0]}`,
    );
  }
  const project = data['project'] as { 'requires-python'?: unknown } | undefined;
  const requires = project?.['requires-python'];
  if (typeof requires === 'string') return pep440ToRange(requires);
  const poetry = (
    (data['tool'] as Record<string, unknown> | undefined)?.['poetry'] as Record<string, unknown> | undefined
  )?.['dependencies'] as Record<string, unknown> | undefined;
  // Poetry's constraints (^3.11, ~3.11, >=3.10,<3.13) are npm-semver ranges once commas are spaces.
  if (typeof poetry?.['python'] === 'string')
    return poetry['python']
      .split(',')
      .map((s) => s.trim())
      .join(' ');
  return undefined;
}

/**
 * A PEP 440 specifier set as a semver range: '>=3.10,<3.13' -> '>=3.10 <3.13', '~=3.11' ->
 * '>=3.11 <4', '~=3.11.2' -> '>=3.11.2 <3.12', '==3.12.*' -> '3.12.x'. '!=' has no semver
 * form and is refused.
 */
export function pep440ToRange(specifiers: string): string {
  const parts = specifiers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parts
    .map((part) => {
      const m = /^(~=|===|==|!=|<=|>=|<|>)\s*([0-9][0-9a-z.*]*)$/.exec(part);
      if (!m || m[1] === '!=' || m[1] === '===') {
        throw new InputError(
          `python-version-file: requires-python '${specifiers}' has '${part}', which this action cannot resolve; use >=, <=, <, >, == or ~=.`,
        );
      }
      const [, op, version] = m as unknown as [string, string, string];
      if (op === '==') return version.replace(/\.\*$/, '.x');
      if (op === '~=') {
        const nums = version.split('.').map(Number);
        if (nums.length < 2) throw new InputError(`python-version-file: '${part}' needs at least two parts (PEP 440).`);
        const upper = [...nums.slice(0, -2), (nums[nums.length - 2] ?? 0) + 1].join('.');
        return `>=${version} <${upper}`;
      }
      return `${op}${version}`;
    })
    .join(' ');
}
