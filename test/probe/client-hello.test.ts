import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ClientHello,
  cbcSha1Suites,
  clientHelloFacts,
  describeClientHello,
  hybridPqGroups,
  hybridPqKeyShares,
  nullSuites,
  offeredVersions,
  offersCompression,
  offersTlsBelow,
  parseClientHello,
  sha1Signatures,
  staticRsaSuites,
} from '../../src/shared/tls/client_hello.js';
import { CIPHER_SUITES, GROUPS, isGrease, SIGNATURE_SCHEMES } from '../../src/shared/tls/registry.js';
import {
  offersCbcSha1,
  offersHybridPq,
  offersNull,
  offersSha1Signatures,
  offersStaticRsa,
} from '../fixtures/offers.js';

const FIXTURES = path.resolve('test/fixtures/client-hello');
const fixture = (name: string) =>
  Buffer.from(readFileSync(path.join(FIXTURES, `${name}.hex`), 'utf8').replace(/\s/g, ''), 'hex');

function parsed(bytes: Uint8Array): ClientHello {
  const result = parseClientHello(bytes);
  if (!result.ok) throw new Error(result.error);
  return result.hello;
}

// ---- A ClientHello builder for synthetic cases ----
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const vec = (size: 1 | 2 | 3, body: Buffer) =>
  Buffer.concat([
    size === 1
      ? Buffer.from([body.length])
      : size === 2
        ? u16(body.length)
        : Buffer.from([body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]),
    body,
  ]);
const list16 = (codes: number[]) => Buffer.concat(codes.map(u16));
const ext = (type: number, data: Buffer) => Buffer.concat([u16(type), vec(2, data)]);

interface Spec {
  legacyVersion?: number;
  suites?: number[];
  compression?: number[];
  extensions?: Buffer[] | null;
}

function helloMessage(spec: Spec = {}): Buffer {
  const body = Buffer.concat([
    u16(spec.legacyVersion ?? 0x0303),
    Buffer.alloc(32, 7),
    vec(1, Buffer.alloc(32, 1)),
    vec(2, list16(spec.suites ?? [0x1301, 0xc02b])),
    vec(1, Buffer.from(spec.compression ?? [0])),
    ...(spec.extensions === null ? [] : [vec(2, Buffer.concat(spec.extensions ?? []))]),
  ]);
  return Buffer.concat([Buffer.from([1]), vec(3, body).subarray(0)]);
}

/** Wraps a handshake message in records of the given fragment sizes (the rest in the last). */
function records(message: Buffer, sizes: number[] = []): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (const size of [...sizes, message.length]) {
    if (at >= message.length) break;
    const fragment = message.subarray(at, at + size);
    at += fragment.length;
    out.push(Buffer.concat([Buffer.from([22, 3, 1]), u16(fragment.length), fragment]));
  }
  return Buffer.concat(out);
}

const sni = (host: string) => ext(0, vec(2, Buffer.concat([Buffer.from([0]), vec(2, Buffer.from(host))])));
const versions = (codes: number[]) => ext(43, vec(1, list16(codes)));
const groups = (codes: number[]) => ext(10, vec(2, list16(codes)));
const sigalgs = (codes: number[]) => ext(13, vec(2, list16(codes)));
const keyShares = (shares: [number, number][]) =>
  ext(51, vec(2, Buffer.concat(shares.map(([g, n]) => Buffer.concat([u16(g), vec(2, Buffer.alloc(n, 9))])))));
const alpn = (names: string[]) => ext(16, vec(2, Buffer.concat(names.map((n) => vec(1, Buffer.from(n))))));

describe('parseClientHello: synthetic hellos', () => {
  it('reads every field and names the code points', () => {
    const hello = parsed(
      records(
        helloMessage({
          suites: [0x0a0a, 0x1301, 0xc02b, 0x002f, 0x0035, 0xc013, 0x0002, 0x00ff, 0x5600],
          extensions: [
            ext(0x1a1a, Buffer.alloc(0)), // GREASE
            sni('example.test'),
            groups([0x2a2a, 0x11ec, 0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x11eb, 0x11ed]),
            sigalgs([0x0403, 0x0804, 0x0201, 0x0203]),
            alpn(['h2', 'http/1.1']),
            ext(22, Buffer.alloc(0)),
            ext(23, Buffer.alloc(0)),
            ext(35, Buffer.alloc(0)),
            versions([0x3a3a, 0x0304, 0x0303]),
            keyShares([
              [0x4a4a, 1],
              [0x11ec, 1216],
              [0x001d, 32],
            ]),
            ext(0xff01, Buffer.from([0])),
          ],
        }),
      ),
    );
    expect(hello.legacyVersion).toEqual({ code: 0x0303, name: 'TLSv1.2' });
    expect(hello.recordVersion).toBe(0x0301);
    expect(hello.cipherSuites.map((s) => s.name)).toEqual([
      'TLS_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_NULL_SHA',
      'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
      'TLS_FALLBACK_SCSV',
    ]);
    expect(hello.supportedVersions!.map((v) => v.name)).toEqual(['TLSv1.3', 'TLSv1.2']);
    expect(hello.supportedGroups!.map((g) => g.name)).toEqual([
      'X25519MLKEM768',
      'x25519',
      'secp256r1',
      'secp384r1',
      'secp521r1',
      'x448',
      'ffdhe2048',
      'SecP256r1MLKEM768',
      'SecP384r1MLKEM1024',
    ]);
    expect(hello.keyShareGroups!.map((g) => g.name)).toEqual(['X25519MLKEM768', 'x25519']);
    expect(hello.signatureAlgorithms!.map((s) => s.name)).toEqual([
      'ecdsa_secp256r1_sha256',
      'rsa_pss_rsae_sha256',
      'rsa_pkcs1_sha1',
      'ecdsa_sha1',
    ]);
    expect(hello.serverName).toBe('example.test');
    expect(hello.alpn).toEqual(['h2', 'http/1.1']);
    expect(hello.flags).toEqual({
      serverName: true,
      extendedMasterSecret: true,
      renegotiationInfo: true,
      encryptThenMac: true,
      sessionTicket: true,
      alpn: true,
      fallbackScsv: true,
      emptyRenegotiationInfoScsv: true,
    });
    expect(hello.extensions.map((e) => e.name)).not.toContain(undefined); // GREASE dropped
    expect(staticRsaSuites(hello)).toEqual([
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_AES_256_CBC_SHA',
      'TLS_RSA_WITH_NULL_SHA',
    ]);
    expect(nullSuites(hello)).toEqual(['TLS_RSA_WITH_NULL_SHA']);
    expect(cbcSha1Suites(hello)).toEqual([
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    ]);
    expect(sha1Signatures(hello)).toEqual(['rsa_pkcs1_sha1', 'ecdsa_sha1']);
    expect(hybridPqGroups(hello)).toEqual(['X25519MLKEM768', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024']);
    expect(hybridPqKeyShares(hello)).toEqual(['X25519MLKEM768']);
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(false);
    expect(offersTlsBelow(hello, 'TLSv1.3')).toBe(true);
  });

  it('takes a ClientHello split across several records, even its 4-byte header', () => {
    const message = helloMessage({ extensions: [sni('split.test'), versions([0x0304])] });
    const whole = parsed(records(message));
    for (const sizes of [[1], [2, 1], [3, 1, 1, 10], [message.length - 1]]) {
      const bytes = records(message, sizes);
      const hello = parsed(bytes);
      expect(hello.serverName).toBe('split.test');
      expect(hello.recordBytes).toBe(bytes.length);
      expect({ ...hello, recordBytes: 0 }).toEqual({ ...whole, recordBytes: 0 });
    }
  });

  it('ignores bytes after the ClientHello (the next flight) and says where the hello ended', () => {
    const hello = records(helloMessage());
    const result = parseClientHello(Buffer.concat([hello, Buffer.from([20, 3, 3, 0, 1, 1])]));
    expect(result).toMatchObject({ ok: true, hello: { recordBytes: hello.length } });
  });

  it('says "incomplete" for every proper prefix, and never throws', () => {
    const bytes = records(helloMessage({ extensions: [sni('a.test'), groups([0x001d])] }), [7, 20]);
    for (let n = 0; n < bytes.length; n++) {
      const result = parseClientHello(bytes.subarray(0, n));
      expect(result, `prefix of ${n}`).toMatchObject({ ok: false, incomplete: true });
    }
    expect(parseClientHello(bytes).ok).toBe(true);
  });

  it('never throws on garbled input: random bytes and single-byte corruptions of a real hello', () => {
    const real = fixture('node24-default');
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let i = 0; i < 2000; i++) {
      const garbled = Buffer.from(real);
      garbled[random() % garbled.length] = random() & 0xff;
      const result = parseClientHello(garbled);
      expect(typeof result.ok).toBe('boolean');
      const noise = Buffer.from(Array.from({ length: random() % 300 }, () => random() & 0xff));
      expect(typeof parseClientHello(noise).ok).toBe('boolean');
      expect(typeof parseClientHello(Buffer.concat([real.subarray(0, 5), noise])).ok).toBe('boolean');
    }
  });

  it.each([
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\n\r\n'), /record type 71/],
    ['an SSLv2-format hello', Buffer.from([0x80, 0x2e, 0x01, 0x03, 0x01]), /SSLv2-format/],
    ['an alert record', Buffer.from([21, 3, 3, 0, 2, 2, 40]), /record type 21/],
    ['a non-TLS record version', Buffer.from([22, 0x7f, 1, 0, 4, 1, 0, 0, 0]), /record version 0x7f01/],
    ['an empty record', Buffer.from([22, 3, 1, 0, 0]), /record length 0/],
    ['a ServerHello', records(Buffer.from([2, 0, 0, 2, 3, 3])), /handshake type 2/],
    [
      'a hello whose suites overrun it',
      records(Buffer.from([1, 0, 0, 37, 3, 3, ...Buffer.alloc(32), 0, 0, 9])),
      /cipher_suites/,
    ],
    ['no cipher suites', records(helloMessage({ suites: [] })), /no cipher suites/],
    [
      'an odd cipher suite list',
      records(Buffer.from([1, 0, 0, 38, 3, 3, ...Buffer.alloc(32), 0, 0, 1, 0])),
      /odd length/,
    ],
    ['no compression methods', records(helloMessage({ compression: [] })), /no compression methods/],
    ['a duplicate extension', records(helloMessage({ extensions: [sni('a'), sni('b')] })), /sent twice/],
    [
      'an extension overrunning the list',
      records(helloMessage({ extensions: [Buffer.from([0, 23, 0, 9])] })),
      /extension data/,
    ],
    [
      'a session id of 33 bytes',
      records(
        Buffer.concat([
          Buffer.from([1, 0, 0, 71, 3, 3]),
          Buffer.alloc(32),
          Buffer.from([33]),
          Buffer.alloc(33),
          Buffer.from([0, 2, 0x13, 1, 1, 0]),
        ]),
      ),
      /session id of 33/,
    ],
  ])('refuses %s with a reason, not "incomplete"', (_what, bytes, reason) => {
    const result = parseClientHello(bytes);
    expect(result).toMatchObject({ ok: false, incomplete: false });
    if (!result.ok) expect(result.error).toMatch(reason);
  });

  it('refuses a hello that claims to be larger than 64 KiB', () => {
    const result = parseClientHello(Buffer.from([22, 3, 1, 0, 4, 1, 0x01, 0x00, 0x01]));
    expect(result).toMatchObject({ ok: false, incomplete: false, error: expect.stringMatching(/larger than/) });
  });

  it('reads an old hello without extensions: the legacy view of versions, compression methods', () => {
    const hello = parsed(
      records(helloMessage({ legacyVersion: 0x0301, suites: [0x0035, 0x000a], compression: [1, 0], extensions: null })),
    );
    expect(hello.extensions).toEqual([]);
    expect(offeredVersions(hello).map((v) => v.name)).toEqual(['TLSv1']);
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(true);
    expect(offersCompression(hello)).toBe(true);
    expect(offersSha1Signatures(hello)).toBe(false); // nothing offered explicitly
    expect(hello.supportedGroups).toBeUndefined();
  });

  it('keeps unknown code points as numbers', () => {
    const hello = parsed(
      records(
        helloMessage({ suites: [0x1301, 0xabcd], extensions: [ext(0x7777, Buffer.from([1])), groups([0x0999])] }),
      ),
    );
    expect(hello.cipherSuites).toEqual([{ code: 0x1301, name: 'TLS_AES_128_GCM_SHA256' }, { code: 0xabcd }]);
    expect(hello.extensions).toEqual([
      { code: 0x7777, length: 1 },
      { code: 10, name: 'supported_groups', length: 4 },
    ]);
    expect(hello.supportedGroups).toEqual([{ code: 0x0999 }]);
  });

  it('rejects an unknown version name in offersTlsBelow (a caller error, not a client fact)', () => {
    expect(() => offersTlsBelow(parsed(records(helloMessage())), 'TLSv9')).toThrow(/unknown TLS version/);
  });
});

describe('parseClientHello: the captured hellos of real clients (test/fixtures/client-hello)', () => {
  it('parses every fixture, and each is exactly its records', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.hex'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const bytes = fixture(file.replace(/\.hex$/, ''));
      const hello = parsed(bytes);
      expect(hello.recordBytes, file).toBe(bytes.length);
      expect(
        hello.cipherSuites.filter((s) => !s.name),
        file,
      ).toEqual([]); // every suite named
      expect(hello.compressionMethods, file).toEqual([0]);
    }
  });

  it('Node.js 24 (OpenSSL 3.5): X25519MLKEM768 first in groups and key shares; TLS 1.2+1.3 only', () => {
    const hello = parsed(fixture('node24-default'));
    expect(hello.supportedGroups!.map((g) => g.name).slice(0, 2)).toEqual(['X25519MLKEM768', 'x25519']);
    expect(hybridPqKeyShares(hello)).toEqual(['X25519MLKEM768']);
    expect(hello.signatureAlgorithms!.map((s) => s.name).slice(0, 3)).toEqual(['mldsa65', 'mldsa87', 'mldsa44']);
    expect(offeredVersions(hello).map((v) => v.name)).toEqual(['TLSv1.3', 'TLSv1.2']);
    expect(hello.flags.renegotiationInfo).toBe(true);
    expect(offersStaticRsa(hello)).toBe(true);
  });

  it('Node.js 20 (OpenSSL 3.0): no hybrid group; TLS 1.2+1.3; renegotiation signalled by SCSV', () => {
    const hello = parsed(fixture('node20-default'));
    expect(offersHybridPq(hello)).toBe(false);
    expect(offeredVersions(hello).map((v) => v.name)).toEqual(['TLSv1.3', 'TLSv1.2']);
    expect(hello.flags).toMatchObject({
      renegotiationInfo: false,
      emptyRenegotiationInfoScsv: true,
      extendedMasterSecret: true,
    });
  });

  it('Python 3.11 default vs strict: both list TLS 1.0; only strict offers SHA-1 signatures', () => {
    const loose = parsed(fixture('python311-default'));
    const strict = parsed(fixture('python311-strict'));
    expect(offersTlsBelow(loose, 'TLSv1.2')).toBe(true);
    expect(offersSha1Signatures(loose)).toBe(false);
    expect(sha1Signatures(strict)).toEqual(['ecdsa_sha1', 'rsa_pkcs1_sha1', 'dsa_sha1']);
    expect(strict.cipherSuites.length).toBeGreaterThan(loose.cipherSuites.length);
    expect(offersCbcSha1(strict)).toBe(true);
    expect(offersNull(strict)).toBe(false);
  });

  it('Node.js 20 pinned to TLS 1.0: no supported_versions, no signature_algorithms, legacy_version TLSv1', () => {
    const hello = parsed(fixture('node20-tls1-only'));
    expect(hello.supportedVersions).toBeUndefined();
    expect(hello.signatureAlgorithms).toBeUndefined();
    expect(hello.legacyVersion.name).toBe('TLSv1');
  });
});

describe('the registries', () => {
  it('have no duplicate code and name the code points the brief lists', () => {
    for (const rows of [CIPHER_SUITES, GROUPS, SIGNATURE_SCHEMES]) {
      const codes = rows.map((r) => r[0]);
      expect(new Set(codes).size).toBe(codes.length);
    }
    const suites = new Map(CIPHER_SUITES.map((r) => [r[0], r[1]]));
    expect(suites.get(0x5600)).toBe('TLS_FALLBACK_SCSV');
    expect(suites.get(0x00ff)).toBe('TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
    const groups = new Map(GROUPS);
    expect([0x11ec, 0x11eb, 0x11ed, 0x001d, 0x0017].map((c) => groups.get(c))).toEqual([
      'X25519MLKEM768',
      'SecP256r1MLKEM768',
      'SecP384r1MLKEM1024',
      'x25519',
      'secp256r1',
    ]);
    const sigs = new Map(SIGNATURE_SCHEMES);
    expect([sigs.get(0x0201), sigs.get(0x0203)]).toEqual(['rsa_pkcs1_sha1', 'ecdsa_sha1']);
  });

  it('recognise exactly the 16 GREASE values', () => {
    const grease = Array.from({ length: 0x10000 }, (_, i) => i).filter(isGrease);
    expect(grease).toEqual(Array.from({ length: 16 }, (_, i) => i * 0x1010 + 0x0a0a));
  });
});

describe('clientHelloFacts and describeClientHello', () => {
  it('summarise a real hello in one line a reader understands', () => {
    const facts = clientHelloFacts(parsed(fixture('node24-default')));
    expect(facts).toMatchObject({
      versions: ['TLSv1.3', 'TLSv1.2'],
      legacyVersionOnly: false,
      hybridPq: ['X25519MLKEM768'],
      keyShares: ['X25519MLKEM768', 'x25519'],
      renegotiationInfo: 'extension',
      serverName: 'localhost',
    });
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    expect(describeClientHello(facts)).toBe(
      'TLSv1.3, TLSv1.2 · 52 suites (static RSA 10, CBC-SHA1 10, NULL none) · hybrid PQ X25519MLKEM768 ' +
        '(key shares X25519MLKEM768, x25519) · SHA-1 signatures none · EMS, renegotiation_info extension, SNI localhost',
    );
    expect(describeClientHello(clientHelloFacts(parsed(fixture('node20-tls1-only'))))).toMatch(
      /^TLSv1 \(legacy_version only\) · 23 suites .* hybrid PQ none · SHA-1 signatures none · EMS, renegotiation_info by SCSV, SNI localhost$/,
    );
  });
});
