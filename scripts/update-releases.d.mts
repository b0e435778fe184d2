// Types for the tests of scripts/update-releases.mjs.
export interface Observation {
  project: 'python' | 'openssl';
  version: string;
  prerelease: boolean;
  format: 'tar.xz' | 'tgz';
  sha256: string;
  source?: string;
}
export interface TableFile {
  url: string;
  sha256: string;
  sources: string[];
}
export interface TableEntry {
  version: string;
  prerelease?: boolean;
  files: TableFile[];
}
export interface Table {
  python: TableEntry[];
  openssl: TableEntry[];
}
export const DEBIAN_SUITES: string[];
export function pythonVersion(text: string): { version: string; prerelease: boolean } | undefined;
export function opensslVersion(text: string): { version: string; prerelease: boolean } | undefined;
export function upstreamUrl(project: 'python' | 'openssl', version: string, format: string): string;
export function parsePyenvDefinition(text: string): Observation[];
export function parseDebianSources(text: string): Observation[];
export function parseSha256File(text: string): string | undefined;
export function mergeTable(table: Partial<Table>, observations: Array<Observation & { source: string }>): Table;
export function compareVersions(a: string, b: string): number;
export function main(argv: string[]): Promise<void>;
