import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bitString,
  boolean,
  explicit,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  utcTime,
  utf8String,
} from '../../src/probe/der.js';
import { requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Each encoding is written to a file and read back by `openssl asn1parse`, an independent
// DER reader: what it prints is compared with what the encoder was asked to write.
requireTool('openssl');
const dir = temporaryFolder('tls-floor-der-');
let n = 0;

/** `openssl asn1parse` lines, reduced to depth, header length, length and the rest (tag and value). */
function asn1parse(der: Buffer, extra: string[] = []): string[] {
  const file = path.join(dir, `${n++}.der`);
  writeFileSync(file, der);
  const out = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', file, ...extra], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*\d+:/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

describe('the DER encoder, read back by openssl asn1parse', () => {
  it.each(
    (
      [
        [integer(0), 'd=0 hl=2 l= 1 prim: INTEGER :00'],
        [integer(127), 'd=0 hl=2 l= 1 prim: INTEGER :7F'],
        // A set high bit gets a leading zero byte: DER INTEGERs are signed.
        [integer(128), 'd=0 hl=2 l= 2 prim: INTEGER :80'],
        [integer(Buffer.from([0x00, 0x00, 0x01, 0x02])), 'd=0 hl=2 l= 2 prim: INTEGER :0102'],
        [
          integer(Buffer.from('ff00ff00ff00ff00ff00ff00ff00ff00', 'hex')),
          'd=0 hl=2 l= 17 prim: INTEGER :FF00FF00FF00FF00FF00FF00FF00FF00',
        ],
        [boolean(true), 'd=0 hl=2 l= 1 prim: BOOLEAN :255'],
        [boolean(false), 'd=0 hl=2 l= 1 prim: BOOLEAN :0'],
        [utf8String('localhost'), 'd=0 hl=2 l= 9 prim: UTF8STRING :localhost'],
        [oid('2.5.4.3'), 'd=0 hl=2 l= 3 prim: OBJECT :commonName'],
        [oid('1.2.840.10045.4.3.2'), 'd=0 hl=2 l= 8 prim: OBJECT :ecdsa-with-SHA256'],
        [oid('1.3.6.1.5.5.7.3.1'), 'd=0 hl=2 l= 8 prim: OBJECT :TLS Web Server Authentication'],
        // 40 * 2 + 999 does not fit one byte: the first subidentifier is base-128 too (X.690 8.19.4).
        [oid('2.999.16384'), 'd=0 hl=2 l= 5 prim: OBJECT :2.999.16384'],
        [utcTime(new Date('2026-11-28T16:37:18.000Z')), 'd=0 hl=2 l= 13 prim: UTCTIME :261128163718Z'],
        [octetString(Buffer.from([1, 2, 3])), 'd=0 hl=2 l= 3 prim: OCTET STRING [HEX DUMP]:010203'],
        [bitString(Buffer.from([0xab])), 'd=0 hl=2 l= 2 prim: BIT STRING'],
      ] as Array<[Buffer, string]>
    ).map(([der, line]) => [line, der] as const),
  )('%s', (line, der) => {
    expect(asn1parse(der)).toEqual([line]);
  });

  it('nests SEQUENCE, SET and [n] EXPLICIT with their depths and lengths', () => {
    const der = sequence(explicit(0, integer(2)), set(sequence(oid('2.5.4.3'), utf8String('tls-floor'))));
    expect(asn1parse(der)).toEqual([
      'd=0 hl=2 l= 25 cons: SEQUENCE',
      'd=1 hl=2 l= 3 cons: cont [ 0 ]',
      'd=2 hl=2 l= 1 prim: INTEGER :02',
      'd=1 hl=2 l= 18 cons: SET',
      'd=2 hl=2 l= 16 cons: SEQUENCE',
      'd=3 hl=2 l= 3 prim: OBJECT :commonName',
      'd=3 hl=2 l= 9 prim: UTF8STRING :tls-floor',
    ]);
  });

  it.each([
    [127, 2],
    [128, 3],
    [255, 3],
    [256, 4],
    [70_000, 5],
  ])('a %i-byte body gets the long length form (header %i bytes)', (size, header) => {
    const der = tlv(0x04, Buffer.alloc(size, 0x61));
    expect(der.length).toBe(size + header);
    expect(asn1parse(der)[0]).toMatch(new RegExp(`^d=0 hl=${header} l= ?${size} prim: OCTET STRING`));
  });

  it('names KeyUsage bits with the unused-bit count openssl expects (digitalSignature, keyCertSign, cRLSign)', () => {
    // KeyUsage ::= BIT STRING: bit 0 digitalSignature, 5 keyCertSign, 6 cRLSign.
    const bits = namedBits([0, 5, 6]);
    expect(bits.toString('hex')).toBe('03020186');
    // The dump shows the unused-bit count (1) and the byte (0x86) inside the BIT STRING.
    expect(asn1parse(bits, ['-dump'])).toEqual(['d=0 hl=2 l= 2 prim: BIT STRING', '0000 - 01 86 ..']);
    expect(namedBits([0]).toString('hex')).toBe('03020780');
    expect(namedBits([8]).toString('hex')).toBe('0303070080');
  });
});
