/**
 * What the runtime layer is asked for: the versions (resolved to exact releases), their
 * sources, and how to obtain the runtime. The runtime owns this type; inputs.ts maps the
 * action's inputs onto it.
 */
export interface SourceInputs {
  /** The exact version, resolved from the spec against the release table (model/versions.ts). */
  version: string;
  /** What was asked for: the input (3.13, >=3.12 <3.14, ...), the file's spec, or '' for the default. */
  spec: string;
  /** pep440: the spec is a requires-python specifier set (matched as pip matches it); else setup-python's syntax. */
  syntax?: 'pep440';
  /** CPython only: free-threaded (built with --disable-gil), asked for as setup-python's 3.13t (model/versions.ts). */
  freethreaded?: boolean;
  /** python-version-file, when the spec came from it. */
  file?: string;
  /** The version was given (not the default): an archive must then match it. */
  given: boolean;
  /** URL template; undefined: the known release's location or the upstream default. */
  urlTemplate?: string;
  sha256?: string;
}

/** How CPython is compiled: as configured (none), or profile-guided and link-time optimized. */
export const OPTIMIZATIONS = ['none', 'pgo-lto'] as const;
export type Optimization = (typeof OPTIMIZATIONS)[number];

/** How to obtain the hardened runtime: build it (or find it built), or install an archive. */
export interface BuildInputs {
  python: SourceInputs;
  openssl: SourceInputs;
  allowUnverifiedSource: boolean;
  /** check-latest: resolve a spec against the whole release table, not only what is prebuilt. */
  checkLatest: boolean;
  jobs: number;
  /** true/false as given; undefined: on where the cache service is available. */
  cache?: boolean;
  /** Pack the passing runtime into an archive (archive-path). */
  createArchive: boolean;
  /** Install this archive instead of building. */
  archive?: { url: string; sha256: string };
  /** Where prebuilt runtimes are listed (runtime-index); explicit: the user named it. */
  index?: { location: string; explicit: boolean };
  /** verify-provenance: the repository whose attestation a downloaded archive must carry. */
  provenance?: { repo: string; token?: string };
  /** fips: true: OpenSSL with its FIPS provider of this release, every process in FIPS mode (runtime/fips.ts). */
  fips?: { providerVersion: string; providerGiven: boolean };
  /**
   * optimize: the build asked for; undefined (auto, the default): an optimized runtime where
   * one is prebuilt or cached, else a build on demand without optimization (none).
   */
  optimize?: Optimization;
}
