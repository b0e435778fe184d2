/** TLS protocol versions, named as OpenSSL, Node.js and Python name them. */
export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** The floor: the lowest TLS version the runtime may speak. */
export const FLOORS = ['1.2', '1.3'] as const;
export type Floor = (typeof FLOORS)[number];

export function floorVersion(floor: Floor): TlsVersion {
  return floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
}

/** The versions below the floor: one legacy server each. */
export function versionsBelow(floor: Floor): TlsVersion[] {
  const rank = TLS_VERSIONS.indexOf(floorVersion(floor));
  return TLS_VERSIONS.slice(0, rank);
}

/** Position of a negotiated version ('TLSv1', 'TLSv1.2', ...); -1 when unknown (e.g. SSLv3). */
export function versionRank(version: string | undefined): number {
  return version === undefined ? -1 : TLS_VERSIONS.indexOf(version as TlsVersion);
}

export function meetsFloor(version: string | undefined, floor: Floor): boolean {
  return versionRank(version) >= versionRank(floorVersion(floor));
}
