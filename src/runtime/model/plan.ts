import { createHash } from 'node:crypto';
import { mention, Refusal } from '../../shared/errors.js';
import type { Floor } from '../../shared/floor.js';
import type { Platform } from './platform.js';
import type { Optimization, SourceInputs } from './request.js';
import type { Release, ReleaseFile } from './versions.js';

/** Bumped whenever a change here changes the bytes of a build: old entries no longer match. */
export const BUILD_FORMAT = 3; // 2: relocatable (runtime/relocate.ts), the system's OPENSSLDIR; 3: lean (runtime/lean.ts)

export interface SourceSpec {
  /** 'openssl' | 'python': also the input prefix (openssl-sha256, ...). */
  name: 'openssl' | 'python';
  version: string;
  url: string;
  /** Undefined only when the user allowed an unverified source. */
  sha256?: string;
  /** Where the checksum came from: an input, or the action's table of known releases. */
  checksumFrom: 'input' | 'known-releases' | 'none';
  /** known-releases: the public sources that listed the table's checksum (pyenv, debian:<suite>, ...). */
  checksumSources?: string[];
}

/**
 * One folder of the tool cache. The version stays plain semver, as actions/tool-cache
 * expects; everything else that makes the build different (floor, OpenSSL, options, OS)
 * lives in the variant (the folder where other tools keep their arch) and in a sidecar.
 */
export interface ToolEntry {
  tool: string;
  /** The exact version ('1.1.1w'); the folder uses its semver part. */
  version: string;
  variant: string;
  /** Everything that defines the bytes; stored in the sidecar and compared on find. */
  identity: Record<string, unknown>;
}

export interface BuildPlan {
  floor: Floor;
  platform: Platform;
  jobs: number;
  openssl: {
    source: SourceSpec;
    options: string[];
    entry: ToolEntry;
    /** fips: true: the release whose FIPS provider (fips.so) is built and installed (runtime/fips.ts). */
    fips?: { provider: SourceSpec };
  };
  python: { source: SourceSpec; options: string[]; optimize: Optimization; entry: ToolEntry; freethreaded?: boolean };
}

/**
 * OpenSSL without every protocol below the floor (DTLS too), static, position-independent
 * so it can live inside CPython's shared extension modules, libraries in lib/ (not lib64/,
 * where CPython would not look), and nothing built that no user needs.
 */
export function opensslOptions(floor: Floor, opensslDir?: string, fips = false): string[] {
  return [
    ...(fips ? ['enable-fips'] : []),
    ...(opensslDir ? [`--openssldir=${opensslDir}`] : []),
    'no-shared',
    '-fPIC',
    'no-tests',
    'no-ssl3',
    'no-tls1',
    'no-tls1_1',
    ...(floor === '1.3' ? ['no-tls1_2', 'no-dtls'] : ['no-dtls1']),
  ];
}

export function planBuild(args: {
  floor: Floor;
  platform: Platform;
  jobs: number;
  openssl: SourceSpec;
  python: SourceSpec;
  /** Extra CPython configure options the build chooses by version (see runtime/cpython.ts). */
  pythonOptions: string[];
  /** How CPython is compiled (its options say how); absent: none. */
  optimize?: Optimization;
  /** The system's OPENSSLDIR (runtime/relocate.ts systemOpensslDir); part of the OpenSSL identity. */
  opensslDir?: string;
  /** fips: true: the source of the FIPS provider's release; part of both identities. */
  fips?: SourceSpec;
  /** Free-threaded CPython (--disable-gil among pythonOptions): its own identity and variant. */
  freethreaded?: boolean;
}): BuildPlan {
  const { floor, platform } = args;
  const optimize = args.optimize ?? 'none';
  const system = { os: platform.os, osRelease: platform.osRelease, arch: platform.arch };
  const sslOptions = opensslOptions(floor, args.opensslDir, Boolean(args.fips));
  const fips = args.fips ? { fips: { provider: args.fips.version, sha256: args.fips.sha256 ?? null } } : {};
  const opensslIdentity = {
    format: BUILD_FORMAT,
    openssl: args.openssl.version,
    sha256: args.openssl.sha256 ?? null,
    floor,
    options: sslOptions,
    ...fips,
    ...system,
  };
  const opensslVariant = `${platform.arch}-tls${floor}-${digest(opensslIdentity)}`;
  const pythonIdentity = {
    format: BUILD_FORMAT,
    python: args.python.version,
    sha256: args.python.sha256 ?? null,
    options: args.pythonOptions,
    // Named only when optimized, so the identities of every build before the input stay as they were.
    ...(optimize !== 'none' ? { optimize } : {}),
    openssl: opensslVariant,
    ...fips,
    // Only when set: every GIL build keeps the identity (and tool-cache folder) it had.
    ...(args.freethreaded ? { freethreaded: true } : {}),
    ...system,
  };
  // As setup-python's x64-freethreaded: the folder says which build it is.
  const arch = args.freethreaded ? `${platform.arch}-freethreaded` : platform.arch;
  return {
    floor,
    platform,
    jobs: args.jobs,
    openssl: {
      source: args.openssl,
      options: sslOptions,
      entry: {
        tool: 'tls-floor-openssl',
        version: args.openssl.version,
        variant: opensslVariant,
        identity: opensslIdentity,
      },
      ...(args.fips ? { fips: { provider: args.fips } } : {}),
    },
    python: {
      source: args.python,
      options: args.pythonOptions,
      optimize,
      ...(args.freethreaded ? { freethreaded: true } : {}),
      entry: {
        tool: 'tls-floor-python',
        version: args.python.version,
        variant: `${arch}-tls${floor}-openssl${args.openssl.version}-${digest(pythonIdentity)}`,
        identity: pythonIdentity,
      },
    },
  };
}

/** 'CPython 3.13.15', or 'CPython 3.13.15 (free-threaded)': as the report names the runtime. */
export function cpythonName(plan: Pick<BuildPlan, 'python'>): string {
  return `CPython ${plan.python.source.version}${plan.python.freethreaded ? ' (free-threaded)' : ''}`;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}

/**
 * The source of one component: the URL (the user's template, else the table release's own
 * location, else the upstream template) and the checksum (the user's, else the table's). A
 * release in the table may list one file per format (.tar.xz, .tgz): a user's template takes
 * the checksum of the format its name ends with. A version with neither is refused unless
 * unverified sources are allowed.
 */
export function sourceSpec(
  name: SourceSpec['name'],
  input: SourceInputs,
  release: Release | undefined,
  defaultTemplate: string,
  allowUnverified: boolean,
): SourceSpec {
  const url = input.urlTemplate
    ? input.urlTemplate.replaceAll('{version}', input.version)
    : (release?.files[0]?.url ?? defaultTemplate.replaceAll('{version}', input.version));
  // A mirror must serve the same bytes, so the table's checksum of that format holds for it too.
  const file = release && (input.urlTemplate ? sameFormat(release.files, url) : release.files[0]);
  if (input.sha256) return { name, version: input.version, url, sha256: input.sha256, checksumFrom: 'input' };
  if (file)
    return {
      name,
      version: input.version,
      url,
      sha256: file.sha256,
      checksumFrom: 'known-releases',
      checksumSources: file.sources,
    };
  if (!allowUnverified) {
    throw new Refusal(
      `${name}-checksum`,
      `no checksum for ${name === 'python' ? 'CPython' : 'OpenSSL'} ${input.version} in the action's table of releases; give `,
      mention(`${name}-checksum`),
      ` with the SHA-256 of ${url}, or set `,
      mention('unverified-sources'),
      ': true to build without one.',
    );
  }
  return { name, version: input.version, url, checksumFrom: 'none' };
}

const FORMATS = [/\.tar\.xz$/, /\.(tgz|tar\.gz)$/];

/** The table's file in the same format as `url` (by its name's ending), else the default file. */
function sameFormat(files: ReleaseFile[], url: string): ReleaseFile | undefined {
  const format = FORMATS.find((f) => f.test(new URL(url).pathname));
  return (format && files.find((f) => format.test(f.url))) ?? files[0];
}
