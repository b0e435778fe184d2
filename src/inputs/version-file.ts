import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { SpecSyntax } from '../runtime/model/versions.js';
import { clip, InputError } from '../shared/errors.js';
import { readWorkspaceFile } from './workspace-file.js';

/** The largest version file read (a pyproject.toml of 64 KiB is already a large one). */
export const MAX_VERSION_FILE_BYTES = 64 * 1024;

/** The spec a version file names, and how it is to be read. */
export interface VersionFileSpec {
  spec: string;
  /** pep440: requires-python; setup-python: .python-version, .tool-versions, Poetry's python. */
  syntax: SpecSyntax;
}

const refuse = (why: string) => new InputError(`python-version-file: ${why}`);

/**
 * The CPython version spec in a python-version-file, as actions/setup-python reads it:
 * .python-version (pyenv: the first version line), .tool-versions (asdf: the first version
 * on the python line), or pyproject.toml (project.requires-python, a PEP 440 specifier set,
 * else Poetry's tool.poetry.dependencies.python). The file must lie inside the workspace once
 * every link is resolved, be a regular file (no FIFO, device or folder) and hold at most
 * MAX_VERSION_FILE_BYTES of UTF-8 text; it is read without blocking the event loop, and what
 * it holds is clipped and escaped in every error.
 */
export async function specFromVersionFile(
  file: string,
  workspace = process.env['GITHUB_WORKSPACE'] || process.cwd(),
): Promise<VersionFileSpec> {
  const shown = clip(file, 100);
  const text = await readWorkspaceFile(file, workspace, {
    refuse,
    maxBytes: MAX_VERSION_FILE_BYTES,
    kind: 'a version file',
    give: 'a .python-version, .tool-versions or pyproject.toml path in the workspace',
  });
  const name = path.basename(file);
  const found = name.endsWith('.toml')
    ? fromPyproject(text, shown)
    : name === '.tool-versions'
      ? fromToolVersions(text)
      : fromPythonVersion(text);
  if (!found) throw refuse(`${shown} names no CPython version.`);
  return found;
}

const meaningful = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);

function fromPythonVersion(text: string): VersionFileSpec | undefined {
  const first = meaningful(text)[0];
  if (first && !/^\d/.test(first)) {
    throw refuse(
      `'${clip(first, 60)}' is not a CPython version (this action builds CPython; give e.g. 3.13 or 3.13.5).`,
    );
  }
  return first ? { spec: first, syntax: 'setup-python' } : undefined;
}

function fromToolVersions(text: string): VersionFileSpec | undefined {
  const line = meaningful(text).find((l) => /^python\s/.test(l));
  const version = line?.split(/\s+/)[1];
  if (version && !/^\d/.test(version))
    throw refuse(`python '${clip(version, 60)}' in .tool-versions is not a CPython version.`);
  return version ? { spec: version, syntax: 'setup-python' } : undefined;
}

function fromPyproject(text: string, shown: string): VersionFileSpec | undefined {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw refuse(`${shown} is not valid TOML: ${clip(String((error as Error).message).split('\n')[0] ?? '', 120)}`);
  }
  const project = data['project'] as { 'requires-python'?: unknown } | undefined;
  const requires = project?.['requires-python'];
  // requires-python is PEP 440, matched as pip matches it (runtime/pep440.ts), never converted.
  if (typeof requires === 'string') return { spec: requires.trim(), syntax: 'pep440' };
  const poetry = (
    (data['tool'] as Record<string, unknown> | undefined)?.['poetry'] as Record<string, unknown> | undefined
  )?.['dependencies'] as Record<string, unknown> | undefined;
  // Poetry's constraints (^3.11, ~3.11, >=3.10,<3.13) are npm-semver ranges once commas are spaces.
  if (typeof poetry?.['python'] === 'string')
    return {
      spec: poetry['python']
        .split(',')
        .map((s) => s.trim())
        .join(' '),
      syntax: 'setup-python',
    };
  return undefined;
}
