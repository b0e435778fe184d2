import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { integer, octetString, oid, sequence } from './der.js';

/**
 * A DSA key for the legacy servers' DHE-DSS suites, made in a fraction of a millisecond: generating
 * DSA domain parameters costs 0.2-0.4 s of CPU, so the servers use one fixed set (public, like a DH
 * group: made once with `openssl dsaparam 2048`, OpenSSL 3.0.19; p 2048 bits, q 224) and draw only
 * the private key x, uniformly from [1, q-1]; OpenSSL derives the public key y = g^x mod p.
 */
const P =
  'db112dcfffaf797aaa3d7d94f8409c03f8a6d946e44b0a092fc741e0e8b9ca1d44dc0bd7128a7f749da9b8a953239a47' +
  '361f777e291898c348fb9716f6e9bc70819821541d668d822c25a4d6b0b903e8e6b16c1c1a3c9dea0a7c06fddc62dff9' +
  '6f1f76d8cdce6fc78d171d45c97268ef4c1fe14fd672de9bf2daea38ef162754126dfbf2f48d798f5c1dd4431ed8b77d' +
  '5c20be15a32b2739bcb91c201ca3cff9844eff4c005f40202464495dfb68b58d35c0d109dd6e6d51c4f0009179a2844c' +
  '5233fda97e183f6fb04fbb65a722850c8ecfb580121ce1a9b00c6ea66f9dadcfc41fb2dd771498fffe2233f0203045a9' +
  '61c4ad936a935da5459ee7797a315809';
const Q = 'e8cf0739828c731f59f78883a2469e1d605042a92160e5229d35ff17';
const G =
  'b518470a8afbbb1301d8f230b873b3293ae9893ef7dc7794d5c535ced7b1cb0ff59c82c8421db230c235928bc56e97ce' +
  '8bf75d2c3661df51722d98d91610830be5a28de5b2eb70a95ef20329e8a2523fb6e4926d290a8eddefba48b05e48c27c' +
  'fed778130cfcff173205e622adfb3b5565614822aab3fcf9f8faebafcb387e0b4478062c43ab99d6b5832090cd88a67b' +
  '5a6b79c6af447694bbc084bad1fb1e045b11000fcf5c884776c0e35b1830d762e722b392417a7fabd6c84945f41e4527' +
  '24aae45be426eb5bf8973bd969c7e8bfad80fda128c92d726dd57b52d983ccf8f60f4e1478a642452171541a3aa01c77' +
  '8e8ca57a10d6367682800f605dbb0e6f';

const hex = (text: string) => Buffer.from(text, 'hex');

export function dsaKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  const q = BigInt(`0x${Q}`);
  // 64 bits more than q: the bias of the reduction is below 2^-64.
  const x = (BigInt(`0x${randomBytes(36).toString('hex')}`) % (q - 1n)) + 1n;
  const xBytes = hex(x.toString(16).padStart(56, '0'));
  const algorithm = sequence(oid('1.2.840.10040.4.1'), sequence(integer(hex(P)), integer(hex(Q)), integer(hex(G))));
  // PKCS #8 PrivateKeyInfo: version 0, the algorithm with its parameters, the INTEGER x.
  const der = sequence(integer(0), algorithm, octetString(integer(xBytes)));
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
