/**
 * PEP 440 versions and specifier sets, as `packaging` (the reference implementation; version
 * 23, Debian's python3-packaging) reads and matches them: `requires-python` is matched as pip
 * would match it, not converted to a semver range (`<=3.12` excludes 3.12.13, `==3.13` is
 * 3.13.0 only). test/fixtures/pep440-cases.json holds cases generated with `packaging`
 * (scripts/pep440-cases.sh); the tests hold this module to them.
 */
export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre?: [string, bigint];
  post?: bigint;
  dev?: bigint;
  local?: Array<bigint | string>;
}

const VERSION =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

const PRE_LABEL: Record<string, string> = {
  alpha: 'a',
  a: 'a',
  beta: 'b',
  b: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};

/** The version, or undefined when it is not PEP 440. */
export function parseVersion(text: string): Pep440Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const [, epoch, release, preL, preN, post1, postL, postN, devL, devN, local] = m;
  return {
    epoch: BigInt(epoch ?? 0),
    release: release!.split('.').map(BigInt),
    ...(preL ? { pre: [PRE_LABEL[preL.toLowerCase()]!, BigInt(preN ?? 0)] as [string, bigint] } : {}),
    ...(post1 !== undefined ? { post: BigInt(post1) } : postL ? { post: BigInt(postN ?? 0) } : {}),
    ...(devL ? { dev: BigInt(devN ?? 0) } : {}),
    ...(local
      ? {
          local: local
            .toLowerCase()
            .split(/[-_.]/)
            .map((part) => (/^\d+$/.test(part) ? BigInt(part) : part)),
        }
      : {}),
  };
}

const isPrerelease = (v: Pep440Version) => v.pre !== undefined || v.dev !== undefined;
const baseOf = (v: Pep440Version): Pep440Version => ({ epoch: v.epoch, release: v.release });
const publicOf = (v: Pep440Version): Pep440Version => {
  const { local: _local, ...rest } = v;
  return rest;
};

const cmp = (a: bigint | number, b: bigint | number) => (a < b ? -1 : a > b ? 1 : 0);

/** packaging's _cmpkey: trailing zeros of the release do not count; a dev release sorts first. */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  const epoch = cmp(a.epoch, b.epoch);
  if (epoch) return epoch;
  const trim = (r: bigint[]) => {
    let n = r.length;
    while (n > 0 && r[n - 1] === 0n) n--;
    return r.slice(0, n);
  };
  const [ra, rb] = [trim(a.release), trim(b.release)];
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    // A missing part sorts before any part (packaging compares the trimmed tuples).
    if (ra[i] === undefined) return -1;
    if (rb[i] === undefined) return 1;
    const c = cmp(ra[i]!, rb[i]!);
    if (c) return c;
  }
  // Pre: a dev release of a final (no pre, no post) sorts below every pre; no pre sorts above.
  const preRank = (v: Pep440Version) => (v.pre ? 0 : v.post === undefined && v.dev !== undefined ? -1 : 1);
  const pre = cmp(preRank(a), preRank(b));
  if (pre) return pre;
  if (a.pre && b.pre) {
    const label = a.pre[0] < b.pre[0] ? -1 : a.pre[0] > b.pre[0] ? 1 : 0;
    if (label) return label;
    const n = cmp(a.pre[1], b.pre[1]);
    if (n) return n;
  }
  const post = optional(a.post, b.post, -1);
  if (post) return post;
  const dev = optional(a.dev, b.dev, 1);
  if (dev) return dev;
  return compareLocal(a.local, b.local);
}

/** An absent part sorts as `absent` (-1: below any value, 1: above). */
function optional(a: bigint | undefined, b: bigint | undefined, absent: number): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return absent;
  if (b === undefined) return -absent;
  return cmp(a, b);
}

/** No local sorts first; numeric segments above alphanumeric ones; then shorter first. */
function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = cmp(x, y);
      if (c) return c;
    } else if (typeof x === 'bigint') return 1;
    else if (typeof y === 'bigint') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return cmp(a.length, b.length);
}

/** packaging's str(Version): the normal form. */
export function formatVersion(v: Pep440Version, release = v.release): string {
  return [
    v.epoch !== 0n ? `${v.epoch}!` : '',
    release.join('.'),
    v.pre ? `${v.pre[0]}${v.pre[1]}` : '',
    v.post !== undefined ? `.post${v.post}` : '',
    v.dev !== undefined ? `.dev${v.dev}` : '',
    v.local ? `+${v.local.join('.')}` : '',
  ].join('');
}

// The version part each operator allows (packaging's Specifier regex).
const TAIL = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?`;
const LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`;
const SPECIFIER = new RegExp(
  String.raw`^\s*(?:(===)\s*([^\s;)]*)|(==|!=)\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:\.\*|${TAIL}${LOCAL}))|(~=)\s*(v?(?:\d+!)?\d+(?:\.\d+)+${TAIL})|(<=|>=|<|>)\s*(v?(?:\d+!)?\d+(?:\.\d+)*${TAIL}))\s*$`,
  'i',
);

export interface Specifier {
  operator: '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';
  /** As written (trimmed): wildcards and === compare the text. */
  version: string;
}

/** A comma-separated specifier set, or the first part that is not a specifier. */
export function parseSpecifierSet(text: string): { specifiers: Specifier[] } | { invalid: string } {
  const specifiers: Specifier[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = SPECIFIER.exec(part);
    if (!m) return { invalid: part };
    const operator = (m[1] ?? m[3] ?? m[5] ?? m[7]) as Specifier['operator'];
    const version = (m[2] ?? m[4] ?? m[6] ?? m[8] ?? '').trim();
    specifiers.push({ operator, version });
  }
  return { specifiers };
}

/** Whether a specifier admits prereleases by naming one (packaging's Specifier.prereleases). */
function admitsPrereleases(s: Specifier): boolean {
  if (!['==', '>=', '<=', '~=', '==='].includes(s.operator)) return false;
  const version = parseVersion(s.operator === '==' ? s.version.replace(/\.\*$/, '') : s.version);
  return version !== undefined && isPrerelease(version);
}

/** packaging's _version_split: 3.13rc1 -> 3, 13, rc1. */
function versionSplit(text: string): string[] {
  return text.split('.').flatMap((item) => {
    const m = /^(\d+)((?:a|b|c|rc)\d+)$/.exec(item);
    return m ? [m[1]!, m[2]!] : [item];
  });
}

/** packaging's canonicalize_version (trailing zeros of the release stripped when asked). */
function canonical(text: string, stripTrailingZero: boolean): string {
  const v = parseVersion(text);
  if (!v) return text;
  const release = [...v.release];
  while (stripTrailingZero && release.length > 1 && release[release.length - 1] === 0n) release.pop();
  return formatVersion(v, release);
}

function equalWildcard(prospective: Pep440Version, spec: string): boolean {
  const split = versionSplit(canonical(spec.slice(0, -2), false));
  const candidate = versionSplit(canonical(formatVersion(publicOf(prospective)), true));
  const digits = (parts: string[]) => {
    let n = 0;
    while (n < parts.length && /^\d+$/.test(parts[n]!)) n++;
    return n;
  };
  // Pad the candidate's release with zeros to the spec's length, then compare the prefix.
  const [cd, sd] = [digits(candidate), digits(split)];
  const padded = [...candidate.slice(0, cd), ...Array<string>(Math.max(0, sd - cd)).fill('0'), ...candidate.slice(cd)];
  const shortened = padded.slice(0, split.length);
  return shortened.length === split.length && shortened.every((part, i) => part === split[i]);
}

function equal(prospective: Pep440Version, spec: string): boolean {
  if (spec.endsWith('.*')) return equalWildcard(prospective, spec);
  const wanted = parseVersion(spec)!;
  return compareVersions(wanted.local ? prospective : publicOf(prospective), wanted) === 0;
}

const OPERATORS: Record<Specifier['operator'], (v: Pep440Version, spec: string) => boolean> = {
  '~=': (v, spec) => {
    const kept = versionSplit(spec);
    let n = 0;
    while (n < kept.length && !/^(dev|a|b|rc|post)/.test(kept[n]!)) n++;
    const prefix = `${kept.slice(0, n - 1).join('.')}.*`;
    return OPERATORS['>='](v, spec) && equalWildcard(v, prefix);
  },
  '==': equal,
  '!=': (v, spec) => !equal(v, spec),
  '<=': (v, spec) => compareVersions(publicOf(v), parseVersion(spec)!) <= 0,
  '>=': (v, spec) => compareVersions(publicOf(v), parseVersion(spec)!) >= 0,
  '<': (v, text) => {
    const spec = parseVersion(text)!;
    if (compareVersions(v, spec) >= 0) return false;
    // <3.13 does not admit 3.13.0rc1 (unless the spec is itself a prerelease).
    return !(!isPrerelease(spec) && isPrerelease(v) && compareVersions(baseOf(v), baseOf(spec)) === 0);
  },
  '>': (v, text) => {
    const spec = parseVersion(text)!;
    if (compareVersions(v, spec) <= 0) return false;
    if (spec.post === undefined && v.post !== undefined && compareVersions(baseOf(v), baseOf(spec)) === 0) return false;
    return !(v.local && compareVersions(baseOf(v), baseOf(spec)) === 0);
  },
  '===': (v, spec) => formatVersion(v).toLowerCase() === spec.toLowerCase(),
};

/**
 * packaging's SpecifierSet.contains(version) with prereleases left to the set: a prerelease
 * matches only when some specifier names one. An empty set matches every final release.
 */
export function setContains(specifiers: readonly Specifier[], version: Pep440Version): boolean {
  const prereleases = specifiers.some(admitsPrereleases);
  if (isPrerelease(version) && !prereleases) return false;
  return specifiers.every((s) => OPERATORS[s.operator](version, s.version));
}
