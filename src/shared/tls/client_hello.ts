import {
  CIPHER_SUITES,
  EXTENSIONS,
  GROUPS,
  HYBRID_PQ_GROUPS,
  isGrease,
  isSha1OrMd5Signature,
  SIGNATURE_SCHEMES,
  VERSIONS,
} from './registry.js';

/**
 * What a client offers in its first ClientHello, read from the bytes it sends before any TLS
 * library sees them (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2). Pure: bytes in, facts out.
 */

/** A code point with its IANA name when the registry knows it. */
export interface Named {
  code: number;
  name?: string;
}

export interface ClientHello {
  /** The record layer's version of the first record (often 0x0301 for compatibility). */
  recordVersion: number;
  /** ClientHello.legacy_version: the highest version a client without supported_versions offers. */
  legacyVersion: Named;
  /** Extension 43, GREASE removed, in the client's order; absent when the client did not send it. */
  supportedVersions?: Named[];
  /** GREASE removed. */
  cipherSuites: Named[];
  compressionMethods: number[];
  /** Every extension in the order sent (GREASE removed), with its length. */
  extensions: (Named & { length: number })[];
  /** Extension 10, GREASE removed. */
  supportedGroups?: Named[];
  /** Extension 51: the groups of the key shares sent, GREASE removed. */
  keyShareGroups?: Named[];
  /** Extension 13, GREASE removed. */
  signatureAlgorithms?: Named[];
  /** Extension 16. */
  alpn?: string[];
  /** Extension 0: the host_name entry. */
  serverName?: string;
  flags: {
    serverName: boolean;
    extendedMasterSecret: boolean;
    renegotiationInfo: boolean;
    encryptThenMac: boolean;
    sessionTicket: boolean;
    alpn: boolean;
    /** TLS_FALLBACK_SCSV (0x5600) among the cipher suites: this hello is a fallback retry. */
    fallbackScsv: boolean;
    /** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff): renegotiation_info signalled as a suite. */
    emptyRenegotiationInfoScsv: boolean;
  };
  /** How many bytes of the input the ClientHello's records took (the records, headers included). */
  recordBytes: number;
}

export type ParseResult =
  | { ok: true; hello: ClientHello }
  /** `incomplete`: the input is a valid beginning; more bytes may complete it. */
  | { ok: false; incomplete: boolean; error: string };

const RECORD_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
/** RFC 8446 §5.1: a record's fragment is at most 2^14 bytes (plus slack some stacks allow). */
const MAX_RECORD = (1 << 14) + 2048;
/** A ClientHello larger than this is not one the probe servers need to read (post-quantum shares are ~1.2 KB). */
export const MAX_CLIENT_HELLO = 1 << 16;

const table = (rows: readonly (readonly [number, string, ...unknown[]])[]) => new Map(rows.map((r) => [r[0], r[1]]));
const SUITE_NAMES = table(CIPHER_SUITES);
const GROUP_NAMES = table(GROUPS);
const SIGNATURE_NAMES = table(SIGNATURE_SCHEMES);
const EXTENSION_NAMES = table(EXTENSIONS);
const VERSION_NAMES = table(VERSIONS);

const named = (names: Map<number, string>, code: number): Named => {
  const name = names.get(code);
  return name === undefined ? { code } : { code, name };
};

class Truncated extends Error {}
class Malformed extends Error {}

/** A bounds-checked reader: running past the end throws Truncated (or Malformed inside a length-prefixed block). */
class Reader {
  private readonly bytes: Uint8Array;
  private pos: number;
  private readonly end: number;
  private readonly inner: boolean;
  constructor(bytes: Uint8Array, pos = 0, end = bytes.length, inner = false) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.inner = inner;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      const message = `${what}: needs ${n} bytes, ${this.end - this.pos} left`;
      throw this.inner ? new Malformed(message) : new Truncated(message);
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u24(what: string): number {
    this.need(3, what);
    const v = (this.bytes[this.pos]! << 16) | (this.bytes[this.pos + 1]! << 8) | this.bytes[this.pos + 2]!;
    this.pos += 3;
    return v;
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A block with a `size`-byte length prefix, read by its own reader that cannot run past it. */
  block(size: 1 | 2, what: string): Reader {
    const length = size === 1 ? this.u8(what) : this.u16(what);
    this.need(length, what);
    const reader = new Reader(this.bytes, this.pos, this.pos + length, true);
    this.pos += length;
    return reader;
  }
  list16(what: string): number[] {
    if (this.remaining % 2 !== 0) throw new Malformed(`${what}: odd length ${this.remaining}`);
    const out: number[] = [];
    while (this.remaining > 0) out.push(this.u16(what));
    return out;
  }
}

/**
 * Reassembles the handshake message from the first records: a ClientHello may be split across
 * several handshake records (RFC 8446 §5.1). Returns the handshake bytes and how many input bytes
 * the records used.
 */
function reassemble(input: Uint8Array): { message: Uint8Array; recordBytes: number; recordVersion: number } {
  const records = new Reader(input);
  const chunks: Uint8Array[] = [];
  let have = 0;
  let wanted: number | undefined;
  let recordVersion = 0;
  while (wanted === undefined || have < wanted) {
    const type = records.u8('record header');
    if (type !== RECORD_HANDSHAKE) {
      if (chunks.length === 0 && type & 0x80) throw new Malformed('an SSLv2-format ClientHello, not a TLS record');
      throw new Malformed(`record type ${type}, expected a handshake record (22)`);
    }
    const version = records.u16('record header');
    if (version >> 8 !== 0x03)
      throw new Malformed(`record version 0x${version.toString(16).padStart(4, '0')} is not TLS`);
    if (chunks.length === 0) recordVersion = version;
    const length = records.u16('record header');
    if (length === 0 || length > MAX_RECORD) throw new Malformed(`record length ${length}`);
    chunks.push(records.take(length, 'record fragment'));
    have += length;
    if (wanted === undefined && have >= 4) {
      const head = Buffer.concat(chunks);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO)
        throw new Malformed(`handshake type ${head[0]}, expected ClientHello (1)`);
      wanted = 4 + ((head[1]! << 16) | (head[2]! << 8) | head[3]!);
      if (wanted > MAX_CLIENT_HELLO) {
        throw new Malformed(`ClientHello of ${wanted} bytes is larger than ${MAX_CLIENT_HELLO}`);
      }
    }
  }
  const message = Buffer.concat(chunks).subarray(0, wanted);
  return { message, recordBytes: input.length - records.remaining, recordVersion };
}

/** Parses the first ClientHello of a connection. Never throws. */
export function parseClientHello(input: Uint8Array): ParseResult {
  try {
    const { message, recordBytes, recordVersion } = reassemble(input);
    return { ok: true, hello: parseBody(message, recordBytes, recordVersion) };
  } catch (error) {
    if (error instanceof Truncated) return { ok: false, incomplete: true, error: `truncated: ${error.message}` };
    if (error instanceof Malformed) return { ok: false, incomplete: false, error: `malformed: ${error.message}` };
    return { ok: false, incomplete: false, error: `malformed: ${(error as Error).message}` };
  }
}

function parseBody(message: Uint8Array, recordBytes: number, recordVersion: number): ClientHello {
  // The whole message is here; running past its end is malformed, not truncated.
  const r = new Reader(message, 4, message.length, true);
  const legacyVersion = r.u16('legacy_version');
  r.skip(32, 'random');
  const sessionId = r.block(1, 'legacy_session_id');
  if (sessionId.remaining > 32) throw new Malformed(`session id of ${sessionId.remaining} bytes`);
  const suites = r.block(2, 'cipher_suites').list16('cipher_suites');
  if (suites.length === 0) throw new Malformed('no cipher suites');
  const compression = r.block(1, 'legacy_compression_methods');
  const compressionMethods: number[] = [];
  while (compression.remaining > 0) compressionMethods.push(compression.u8('compression method'));
  if (compressionMethods.length === 0) throw new Malformed('no compression methods');

  const hello: ClientHello = {
    recordVersion,
    legacyVersion: named(VERSION_NAMES, legacyVersion),
    cipherSuites: suites.filter((c) => !isGrease(c)).map((c) => named(SUITE_NAMES, c)),
    compressionMethods,
    extensions: [],
    flags: {
      serverName: false,
      extendedMasterSecret: false,
      renegotiationInfo: false,
      encryptThenMac: false,
      sessionTicket: false,
      alpn: false,
      fallbackScsv: suites.includes(0x5600),
      emptyRenegotiationInfoScsv: suites.includes(0x00ff),
    },
    recordBytes,
  };
  // Extensions are optional before TLS 1.3 (a hello may end after the compression methods).
  if (r.remaining === 0) return hello;
  const extensions = r.block(2, 'extensions');
  if (r.remaining !== 0) throw new Malformed(`${r.remaining} bytes after the extensions`);
  const seen = new Set<number>();
  while (extensions.remaining > 0) {
    const type = extensions.u16('extension type');
    const data = extensions.block(2, 'extension data');
    if (seen.has(type)) throw new Malformed(`extension ${type} sent twice`);
    seen.add(type);
    if (isGrease(type)) continue;
    hello.extensions.push({ ...named(EXTENSION_NAMES, type), length: data.remaining });
    readExtension(hello, type, data);
  }
  return hello;
}

const codes = (names: Map<number, string>, list: number[]) =>
  list.filter((c) => !isGrease(c)).map((c) => named(names, c));

function readExtension(hello: ClientHello, type: number, data: Reader): void {
  switch (type) {
    case 0: {
      hello.flags.serverName = true;
      if (data.remaining === 0) return; // a server's empty acknowledgement shape; tolerated
      const list = data.block(2, 'server_name_list');
      while (list.remaining > 0) {
        const nameType = list.u8('server name type');
        const name = list.block(2, 'server name');
        if (nameType === 0 && hello.serverName === undefined) {
          hello.serverName = Buffer.from(name.take(name.remaining, 'host_name')).toString('latin1');
        }
      }
      return;
    }
    case 10:
      hello.supportedGroups = codes(GROUP_NAMES, data.block(2, 'named_group_list').list16('named_group_list'));
      return;
    case 13:
      hello.signatureAlgorithms = codes(
        SIGNATURE_NAMES,
        data.block(2, 'signature_algorithms').list16('signature_algorithms'),
      );
      return;
    case 16: {
      hello.flags.alpn = true;
      const list = data.block(2, 'protocol_name_list');
      hello.alpn = [];
      while (list.remaining > 0) {
        const name = list.block(1, 'protocol name');
        hello.alpn.push(Buffer.from(name.take(name.remaining, 'protocol name')).toString('latin1'));
      }
      return;
    }
    case 22:
      hello.flags.encryptThenMac = true;
      return;
    case 23:
      hello.flags.extendedMasterSecret = true;
      return;
    case 35:
      hello.flags.sessionTicket = true;
      return;
    case 43: {
      const versions = data.block(1, 'supported_versions');
      const list = versions.list16('supported_versions');
      hello.supportedVersions = codes(VERSION_NAMES, list);
      return;
    }
    case 51: {
      const shares = data.block(2, 'client_shares');
      const groups: number[] = [];
      while (shares.remaining > 0) {
        groups.push(shares.u16('key share group'));
        shares.block(2, 'key_exchange');
      }
      hello.keyShareGroups = codes(GROUP_NAMES, groups);
      return;
    }
    case 0xff01:
      hello.flags.renegotiationInfo = true;
      return;
    default:
      return;
  }
}

// ---- Derived facts a policy needs ----

/**
 * The versions the hello offers: supported_versions when sent; otherwise only legacy_version
 * (RFC 5246 §E.1: a TLS 1.2 hello names its highest version; whether the client then accepts a
 * lower ServerHello is what the legacy servers test, not something the hello says).
 */
export function offeredVersions(hello: ClientHello): Named[] {
  return hello.supportedVersions ?? [hello.legacyVersion];
}

const WIRE: Record<string, number> = Object.fromEntries(VERSIONS.map(([code, name]) => [name, code]));

/** Whether the hello offers a version below `version` ('TLSv1.2', ...). */
export function offersTlsBelow(hello: ClientHello, version: string): boolean {
  const floor = WIRE[version];
  if (floor === undefined) throw new Error(`unknown TLS version ${version}`);
  return offeredVersions(hello).some((v) => v.code < floor);
}

const suitesMatching = (hello: ClientHello, pattern: RegExp): string[] =>
  hello.cipherSuites.flatMap((s) => (s.name !== undefined && pattern.test(s.name) ? [s.name] : []));

/** RFC 9325 §4.1: key transport ("static RSA") suites, TLS_RSA_WITH_*. */
export const staticRsaSuites = (hello: ClientHello) => suitesMatching(hello, /^TLS_RSA_WITH_/);
/** Suites without encryption: *_WITH_NULL_* and the integrity-only TLS 1.3 suites (RFC 9150). */
export const nullSuites = (hello: ClientHello) => suitesMatching(hello, /_WITH_NULL_|^TLS_SHA(256|384)_SHA(256|384)$/);
/** Every CBC-mode suite (RFC 9325 §4.2 wants encrypt_then_mac with them). */
export const cbcSuites = (hello: ClientHello) => suitesMatching(hello, /_CBC_/);
/** CBC suites with an HMAC-SHA-1 record MAC (…_CBC_SHA). */
export const cbcSha1Suites = (hello: ClientHello) => suitesMatching(hello, /_CBC_SHA$/);
/** Signature schemes with SHA-1 or MD5 (RFC 9155). */
export const sha1Signatures = (hello: ClientHello): string[] =>
  (hello.signatureAlgorithms ?? []).filter((s) => isSha1OrMd5Signature(s.code)).map((s) => s.name ?? hex(s.code));
/** Hybrid post-quantum groups in supported_groups. */
export const hybridPqGroups = (hello: ClientHello): string[] =>
  (hello.supportedGroups ?? []).filter((g) => HYBRID_PQ_GROUPS.has(g.code)).map((g) => g.name ?? hex(g.code));
/** Hybrid post-quantum groups the client sent a key share for. */
export const hybridPqKeyShares = (hello: ClientHello): string[] =>
  (hello.keyShareGroups ?? []).filter((g) => HYBRID_PQ_GROUPS.has(g.code)).map((g) => g.name ?? hex(g.code));

/** Signature schemes with SHA-256 (RFC 9325 §4.5: clients MUST ask for SHA-256 in signature_algorithms). */
export const sha256Signatures = (hello: ClientHello): string[] =>
  (hello.signatureAlgorithms ?? []).filter((s) => s.name !== undefined && /sha256/.test(s.name)).map((s) => s.name!);
/** Any compression method other than null (0). */
export const offersCompression = (hello: ClientHello) => hello.compressionMethods.some((m) => m !== 0);

export const hex = (code: number) => `0x${code.toString(16).padStart(4, '0')}`;

/** What the report keeps of a ClientHello: the facts policies read, JSON-ready. */
export interface ClientHelloFacts {
  versions: string[];
  /** True when the hello had no supported_versions: `versions` is legacy_version alone. */
  legacyVersionOnly: boolean;
  cipherSuites: number;
  /** Every suite offered (IANA names, GREASE removed), in the client's order: the inventory (PCI DSS 12.3.3). */
  suites: string[];
  /** signature_algorithms (GREASE removed), in the client's order; empty when not sent. */
  signatureAlgorithms: string[];
  staticRsa: string[];
  null: string[];
  cbcSha1: string[];
  sha1Signatures: string[];
  groups: string[];
  keyShares: string[];
  hybridPq: string[];
  compression: boolean;
  serverName?: string;
  alpn?: string[];
  extendedMasterSecret: boolean;
  renegotiationInfo: 'extension' | 'scsv' | 'none';
  encryptThenMac: boolean;
  fallbackScsv: boolean;
}

const nameOf = (n: Named) => n.name ?? hex(n.code);

export function clientHelloFacts(hello: ClientHello): ClientHelloFacts {
  return {
    versions: offeredVersions(hello).map(nameOf),
    legacyVersionOnly: hello.supportedVersions === undefined,
    cipherSuites: hello.cipherSuites.length,
    suites: hello.cipherSuites.map(nameOf),
    signatureAlgorithms: (hello.signatureAlgorithms ?? []).map(nameOf),
    staticRsa: staticRsaSuites(hello),
    null: nullSuites(hello),
    cbcSha1: cbcSha1Suites(hello),
    sha1Signatures: sha1Signatures(hello),
    groups: (hello.supportedGroups ?? []).map(nameOf),
    keyShares: (hello.keyShareGroups ?? []).map(nameOf),
    hybridPq: hybridPqGroups(hello),
    compression: offersCompression(hello),
    ...(hello.serverName !== undefined ? { serverName: hello.serverName } : {}),
    ...(hello.alpn ? { alpn: hello.alpn } : {}),
    extendedMasterSecret: hello.flags.extendedMasterSecret,
    renegotiationInfo: hello.flags.renegotiationInfo
      ? 'extension'
      : hello.flags.emptyRenegotiationInfoScsv
        ? 'scsv'
        : 'none',
    encryptThenMac: hello.flags.encryptThenMac,
    fallbackScsv: hello.flags.fallbackScsv,
  };
}

/** One line for a job summary: what a client offered, in the order a reader looks for it. */
export function describeClientHello(facts: ClientHelloFacts): string {
  const some = (label: string, items: string[]) => `${label} ${items.length === 0 ? 'none' : items.length}`;
  return [
    `${facts.versions.join(', ')}${facts.legacyVersionOnly ? ' (legacy_version only)' : ''}`,
    `${facts.cipherSuites} suites (${some('static RSA', facts.staticRsa)}, ${some('CBC-SHA1', facts.cbcSha1)}, ` +
      `${some('NULL', facts.null)})`,
    `hybrid PQ ${facts.hybridPq.length > 0 ? facts.hybridPq.join(', ') : 'none'}` +
      (facts.keyShares.length ? ` (key shares ${facts.keyShares.join(', ')})` : ''),
    `SHA-1 signatures ${facts.sha1Signatures.length > 0 ? facts.sha1Signatures.join(', ') : 'none'}`,
    [
      facts.extendedMasterSecret ? 'EMS' : 'no EMS',
      `renegotiation_info ${facts.renegotiationInfo === 'scsv' ? 'by SCSV' : facts.renegotiationInfo}`,
      facts.serverName !== undefined ? `SNI ${facts.serverName}` : 'no SNI',
      ...(facts.compression ? ['compression'] : []),
      ...(facts.fallbackScsv ? ['FALLBACK_SCSV'] : []),
    ].join(', '),
  ].join(' · ');
}
