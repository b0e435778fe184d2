import semver from 'semver';
import { clip, InputError } from '../../shared/errors.js';
import lifecycleData from './lifecycle.json' with { type: 'json' };
import { parseSpecifierSet, parseVersion, type Specifier, setContains } from './pep440.js';
import table from './releases.json' with { type: 'json' };
import type { SourceInputs } from './request.js';

/**
 * The release table (releases.json, made by scripts/update-releases.mjs) and what is read
 * from it: version specs as setup-python users write them, resolved to the newest stable
 * release that matches; the defaults; each line's end of life (lifecycle.json).
 */
export type Project = 'python' | 'openssl';

export interface ReleaseFile {
  url: string;
  sha256: string;
  /** Where the checksum came from: pyenv, debian:<suite>, openssl-github. */
  sources: string[];
}

export interface Release {
  version: string;
  prerelease?: boolean;
  /** The default file first (.tar.xz for CPython); others are the same release in another format. */
  files: ReleaseFile[];
}

export const RELEASES: Record<Project, readonly Release[]> = { python: table.python, openssl: table.openssl };

const LABEL: Record<Project, string> = { python: 'CPython', openssl: 'OpenSSL' };

export function findRelease(project: Project, version: string): Release | undefined {
  return RELEASES[project].find((r) => r.version === version);
}

/**
 * A table version as semver, for comparisons: CPython's 3.15.0b4 is 3.15.0-b.4, OpenSSL's
 * 3.6.0-alpha1 is 3.6.0-alpha.1, and 1.1.1w is 1.1.1 (its letter orders releases of 1.1.1).
 */
function toSemver(project: Project, version: string): string | undefined {
  const text =
    project === 'python'
      ? version.replace(/^(\d+\.\d+\.\d+)(a|b|rc)(\d+)$/, '$1-$2.$3')
      : version.replace(/^(\d+\.\d+\.\d+)[a-z]$/, '$1').replace(/^(\d+\.\d+\.\d+)-(alpha|beta)(\d+)$/, '$1-$2.$3');
  return semver.valid(text) ?? undefined;
}

/** Newest first: semver order, then OpenSSL's letter. */
function compareDesc(project: Project, a: string, b: string): number {
  const order = semver.rcompare(toSemver(project, a)!, toSemver(project, b)!);
  return order !== 0 ? order : b.localeCompare(a);
}

/** The shape of an exact version (in or out of the table). */
export function isExactVersion(project: Project, spec: string): boolean {
  return project === 'python'
    ? /^\d+\.\d+\.\d+((a|b|rc)\d+)?$/.test(spec)
    : /^\d+\.\d+\.\d+([a-z]|-(alpha|beta)\d+)?$/.test(spec);
}

/** The newest stable CPython; the newest stable release of the newest OpenSSL LTS line. */
export function defaultVersion(project: Project): string {
  const stable = RELEASES[project].filter((r) => !r.prerelease).map((r) => r.version);
  if (project === 'openssl') {
    const lts = Object.entries(lifecycleData.openssl.lines as Record<string, { lts?: boolean }>)
      .filter(([, l]) => l.lts)
      .map(([line]) => line)
      .sort((a, b) => semver.rcompare(semver.coerce(a)!, semver.coerce(b)!));
    for (const line of lts) {
      const found = stable.filter((v) => lineOf(project, v) === line).sort((a, b) => compareDesc(project, a, b))[0];
      if (found) return found;
    }
  }
  return stable.sort((a, b) => compareDesc(project, a, b))[0]!;
}

export interface Resolution {
  project: Project;
  /** What the user wrote ('' for the default). */
  spec: string;
  version: string;
  /** Undefined: outside the table (built with the user's checksum or unverified). */
  release?: Release;
}

/**
 * How a spec is read: as setup-python reads python-version (semver ranges: 3.13, 3.13.x,
 * >=3.12 <3.14, ^3.11), or as pip reads requires-python (PEP 440 specifier sets: pep440.ts).
 */
export type SpecSyntax = 'setup-python' | 'pep440';

/** The longest spec read; anything longer is refused before it is parsed. */
export const MAX_SPEC_CHARS = 128;
/** The most digits one number of a version may have (no release has more than 2). */
const MAX_NUMBER_DIGITS = 6;

/**
 * The spec's length and characters, checked before any parser or range conversion sees it
 * (a 100,000-digit version took semver 26 s of CPU): one line, the value clipped.
 */
function checkShape(project: Project, spec: string, input: string, syntax: SpecSyntax): void {
  const pep440 = syntax === 'pep440';
  const shown = pep440 ? `requires-python '${clip(spec, 60)}'` : `'${clip(spec, 60)}'`;
  const example = pep440
    ? '>=3.12, ==3.13.*, ~=3.12 or >=3.12,<3.14'
    : project === 'python'
      ? '3.13, 3.13.5, 3.13.x, 3 or >=3.12 <3.14'
      : '3.5, 3.5.7, 3.x or 1.1.1w';
  if (spec.length > MAX_SPEC_CHARS) {
    throw new InputError(
      `${input}: ${shown} is ${spec.length} characters; a ${pep440 ? 'specifier set' : 'version or range'} is at most ${MAX_SPEC_CHARS} characters (e.g. ${example}).`,
    );
  }
  const allowed = pep440 ? /^[0-9A-Za-z.*!+~<>=, \t_-]*$/ : /^[0-9A-Za-z.*^~<>=|, \t-]*$/;
  if (!allowed.test(spec) || new RegExp(`\\d{${MAX_NUMBER_DIGITS + 1}}`).test(spec)) {
    const what = pep440 ? 'is not a PEP 440 specifier set' : 'is not a version or a range';
    throw new InputError(`${input}: ${shown} ${what}; give e.g. ${example}.`);
  }
}

/**
 * setup-python's free-threaded spelling: a version of two or three numbers and a `t`
 * (3.13t, 3.13.5t), as actions/setup-python reads python-version and .python-version. The
 * spec without the `t` resolves as any other; ranges take no `t` (setup-python's neither).
 */
export function freeThreadedSpec(spec: string): { spec: string; freethreaded: boolean } {
  const m = /^(\d+\.\d+(?:\.\d+)?)t$/.exec(spec);
  return m ? { spec: m[1]!, freethreaded: true } : { spec, freethreaded: false };
}

/** The newest of `versions` that a PEP 440 specifier set selects (as packaging filters), or undefined. */
export function newestMatching(spec: string, versions: readonly string[]): string | undefined {
  const parsed = parseSpecifierSet(spec);
  if ('invalid' in parsed) return undefined;
  return versions.filter((v) => pep440Contains(parsed.specifiers, v)).sort((a, b) => compareDesc('python', a, b))[0];
}

const pep440Contains = (specifiers: readonly Specifier[], version: string) => {
  const parsed = parseVersion(version);
  return parsed !== undefined && setContains(specifiers, parsed);
};

/** Whether an exact version satisfies a spec, read as its syntax says (an archive's version against the request). */
export function specMatches(
  project: Project,
  spec: string,
  version: string,
  syntax: SpecSyntax = 'setup-python',
): boolean {
  if (spec === version) return true;
  if (syntax === 'pep440') {
    const parsed = parseSpecifierSet(spec);
    return !('invalid' in parsed) && pep440Contains(parsed.specifiers, version);
  }
  const range = semver.validRange(toRangeText(project, spec));
  const exact = toSemver(project, version);
  return (
    range !== null &&
    exact !== undefined &&
    semver.satisfies(exact, range, { includePrerelease: isPrereleaseSpec(spec) })
  );
}

const isPrereleaseSpec = (spec: string) => /\d(a|b|rc|-alpha|-beta)\d/.test(spec);

/**
 * Resolves a spec to one version: '' is the default; an exact version in the table is itself;
 * anything else (3.13, 3.13.x, 3, >=3.12 <3.14, ^3.11) is the newest stable table release it
 * matches. Prereleases only when the spec names one. A PEP 440 spec (requires-python) is
 * matched as packaging matches it. A version outside the table is accepted only with a
 * checksum input or unverified sources allowed; else one line names the input and the
 * nearest known versions.
 */
export function resolveVersion(
  project: Project,
  spec: string,
  options: { input: string; checksumGiven: boolean; allowUnverified: boolean; syntax?: SpecSyntax },
): Resolution {
  const label = LABEL[project];
  const syntax = options.syntax ?? 'setup-python';
  if (spec === '') {
    const version = defaultVersion(project);
    return { project, spec, version, release: findRelease(project, version)! };
  }
  checkShape(project, spec, options.input, syntax);
  if (syntax === 'pep440') return resolvePep440(spec, options);
  const exact = findRelease(project, spec);
  if (exact) return { project, spec, version: spec, release: exact };
  // OpenSSL's 1.1.1 is a range too: every letter release of 1.1.1 (1.1.1w reads as 1.1.1).
  const range = semver.validRange(toRangeText(project, spec));
  if (!range) {
    throw new InputError(
      `${options.input}: '${clip(spec, 60)}' is not a version or a range; give e.g. ${project === 'python' ? '3.13, 3.13.5, 3.13.x, 3 or >=3.12 <3.14' : '3.5, 3.5.7, 3.x or 1.1.1w'}.`,
    );
  }
  const matching = RELEASES[project]
    .filter((r) => semver.satisfies(toSemver(project, r.version)!, range))
    .sort((a, b) => compareDesc(project, a.version, b.version));
  if (matching[0]) return { project, spec, version: matching[0].version, release: matching[0] };
  if (isExactVersion(project, spec)) {
    if (options.checksumGiven || options.allowUnverified) return { project, spec, version: spec };
    throw new InputError(
      `${options.input}: ${label} ${spec} is not in the action's table of releases (nearest known: ${nearest(project, spec).join(', ')}); ` +
        `give ${project}-sha256 with its tarball's SHA-256 to build it, or pick a known version.`,
    );
  }
  const pre = RELEASES[project].filter(
    (r) => r.prerelease && semver.satisfies(toSemver(project, r.version)!, range, { includePrerelease: true }),
  );
  const hint = pre.length ? `; prereleases match (${pre.map((r) => r.version).join(', ')}): ask for one exactly` : '';
  const lower = semver.minVersion(range)?.version ?? '0.0.0';
  throw new InputError(
    `${options.input}: no ${label} release in the action's table matches '${spec}' (nearest known: ${nearest(project, lower).join(', ')})${hint}.`,
  );
}

/** A requires-python specifier set: the newest table release packaging would select. */
function resolvePep440(
  spec: string,
  options: { input: string; checksumGiven: boolean; allowUnverified: boolean },
): Resolution {
  const parsed = parseSpecifierSet(spec);
  if ('invalid' in parsed) {
    throw new InputError(
      `${options.input}: requires-python '${clip(spec, 60)}' is not a PEP 440 specifier set ('${clip(parsed.invalid, 40)}' is not a specifier); give e.g. >=3.12, ==3.13.*, ~=3.12 or >=3.12,<3.14.`,
    );
  }
  const version = newestMatching(
    spec,
    RELEASES.python.map((r) => r.version),
  );
  if (version) return { project: 'python', spec, version, release: findRelease('python', version)! };
  // ==3.13.20 (one exact release outside the table) builds with a checksum, as python-version 3.13.20 does.
  const exact = /^={2,3}\s*(\S+)$/.exec(spec.trim())?.[1];
  if (exact && isExactVersion('python', exact) && (options.checksumGiven || options.allowUnverified))
    return { project: 'python', spec, version: exact };
  throw new InputError(
    `${options.input}: no CPython release in the action's table matches requires-python '${clip(spec, 60)}' (PEP 440: ==3.13 is 3.13.0 only, <=3.12 excludes 3.12.1 and later; newest known: ${defaultVersion('python')}).`,
  );
}

/** CPython's own prerelease spelling inside a range (>=3.15.0b1) in semver's. */
function toRangeText(project: Project, spec: string): string {
  return project === 'python' ? spec.replace(/(\d+\.\d+\.\d+)(a|b|rc)(\d+)/g, '$1-$2.$3') : spec;
}

/** The stable releases on either side of a version (and the newest of its line). */
function nearest(project: Project, version: string): string[] {
  const target = toSemver(project, version) ?? semver.coerce(version)?.version ?? '0.0.0';
  const stable = RELEASES[project].filter((r) => !r.prerelease).map((r) => r.version);
  const below = stable
    .filter((v) => semver.lt(toSemver(project, v)!, target))
    .sort((a, b) => compareDesc(project, a, b))[0];
  const above = stable
    .filter((v) => semver.gt(toSemver(project, v)!, target))
    .sort((a, b) => compareDesc(project, b, a))[0];
  const line = lineOf(project, version);
  const newestOfLine = stable.filter((v) => lineOf(project, v) === line).sort((a, b) => compareDesc(project, a, b))[0];
  return [...new Set([below, above, newestOfLine].filter((v): v is string => Boolean(v)))].sort((a, b) =>
    compareDesc(project, b, a),
  );
}

/** 3.13 for CPython 3.13.5; 3.5 for OpenSSL 3.5.7, 1.1.1 for 1.1.1w. */
export function lineOf(project: Project, version: string): string {
  const parts = version.split(/[.-]/);
  if (project === 'openssl' && parts[0] === '1')
    return parts
      .slice(0, 3)
      .join('.')
      .replace(/[a-z]$/, '');
  return parts.slice(0, 2).join('.');
}

export interface Lifecycle {
  project: Project;
  version: string;
  line: string;
  /** The end-of-life date as the source gives it (YYYY-MM-DD, or YYYY-MM: the end of that month). */
  eol: string;
  ended: boolean;
  lts: boolean;
  source: string;
}

/** The support line of a version and whether it has ended, as of `today`. Undefined for an unknown line. */
export function lifecycleOf(project: Project, version: string, today = new Date()): Lifecycle | undefined {
  const data = lifecycleData[project] as {
    source: string;
    lines: Record<string, { eol: string; lts?: boolean; pep?: number }>;
  };
  const line = lineOf(project, version);
  const entry = data.lines[line];
  if (!entry) return undefined;
  const [y, m, d] = entry.eol.split('-').map(Number) as [number, number, number | undefined];
  // The first moment after support: the day after the date, or the first day of the next month.
  const end = d ? Date.UTC(y, m - 1, d + 1) : Date.UTC(y, m, 1);
  const source = entry.pep ? `PEP ${entry.pep}; ${data.source}` : data.source;
  return { project, version, line, eol: entry.eol, ended: today.getTime() >= end, lts: Boolean(entry.lts), source };
}

/** The loud line for an end-of-life choice. */
export function lifecycleWarning(l: Lifecycle): string {
  return `END OF LIFE: ${LABEL[l.project]} ${l.line} (${l.version}) reached its end of life on ${l.eol} (${l.source}); it gets no security fixes. Choose a supported line.`;
}

/** One component's resolution, said for the log and the report: what was asked, what it became. */
export interface ResolvedSource {
  project: Project;
  version: string;
  /** CPython asked for free-threaded (3.13t): the python-version output says 3.13.15t, as setup-python's. */
  freethreaded?: boolean;
  /** "'3.13' resolved to 3.13.15 (checksum from the table (pyenv, debian:sid))". */
  description: string;
  lifecycle?: Lifecycle;
  /** The loud warning for an end-of-life line, with its date. */
  endOfLife?: string;
}

/** A CPython version or spec as setup-python writes it: '3.13.15t' for a free-threaded build. */
export function threaded(version: string, freethreaded: unknown): string {
  return freethreaded === true ? `${version}t` : version;
}

/** How each component's spec resolved, where its checksum comes from, and its lifecycle. */
export function describeResolved(
  sources: { python: SourceInputs; openssl: SourceInputs },
  today = new Date(),
): ResolvedSource[] {
  return (['python', 'openssl'] as const).map((project) => {
    const source = sources[project];
    const spec = threaded(source.spec, source.freethreaded);
    const asked = source.file ? `'${spec}' from ${source.file}` : spec ? `'${spec}'` : 'the default';
    const release = findRelease(project, source.version);
    const checksum = source.sha256
      ? `checksum from ${project}-sha256`
      : release
        ? `checksum from the table (${[...new Set(release.files.flatMap((f) => f.sources))].join(', ')})`
        : 'no checksum (allow-unverified-source)';
    const lifecycle = lifecycleOf(project, source.version, today);
    return {
      project,
      version: source.version,
      ...(source.freethreaded ? { freethreaded: true } : {}),
      description: `${asked} resolved to ${source.version}${source.freethreaded ? ' (free-threaded)' : ''} (${checksum})`,
      ...(lifecycle ? { lifecycle } : {}),
      ...(lifecycle?.ended ? { endOfLife: lifecycleWarning(lifecycle) } : {}),
    };
  });
}

/**
 * Every stable table release a spec may resolve to, newest first: an exact version is itself;
 * '' is any stable CPython, and OpenSSL's default line (the newest LTS line) for OpenSSL.
 * What the runtime index holds is chosen from these (prebuilt-spec.ts).
 */
export function stableMatches(project: Project, spec: string): string[] {
  if (findRelease(project, spec)) return [spec];
  const text =
    spec !== ''
      ? toRangeText(project, spec)
      : project === 'openssl'
        ? `${lineOf(project, defaultVersion(project))}.x`
        : '*';
  const range = semver.validRange(text);
  if (!range) return [];
  return RELEASES[project]
    .filter((r) => !r.prerelease && semver.satisfies(toSemver(project, r.version)!, range))
    .map((r) => r.version)
    .sort((a, b) => compareDesc(project, a, b));
}
