import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The independent side of the differential test: OpenSSL's own `s_server` (/usr/bin/openssl, not
 * this project's servers), pinned to one TLS version and one key-exchange/authentication family,
 * answering one connection (-naccept 1) and then printing its own statistics. Whether a
 * handshake completed is what s_server counts ("server accepts that finished"); whether it
 * sent a ServerHello and what the client alerted come from its -msg trace. Nothing here reads
 * our parser or our servers.
 */

export const OPENSSL = '/usr/bin/openssl';

/** The versions below a floor of 1.3 (1.0 and 1.1 below 1.2), as s_server pins them. */
export const VERSIONS = [
  { name: 'TLSv1', flag: '-tls1', label: 'TLS 1.0' },
  { name: 'TLSv1.1', flag: '-tls1_1', label: 'TLS 1.1' },
  { name: 'TLSv1.2', flag: '-tls1_2', label: 'TLS 1.2' },
] as const;
export type Version = (typeof VERSIONS)[number]['name'];

/** The versions a floor forbids. */
export function belowFloor(floor: '1.2' | '1.3'): Version[] {
  return floor === '1.2' ? ['TLSv1', 'TLSv1.1'] : ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
}

/**
 * Every key-exchange/authentication family OpenSSL 3.0 can serve at TLS 1.0-1.2 at security
 * level 0 without a pre-shared key or SRP verifier (`openssl ciphers -v -s -tls1
 * 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'` lists exactly these Kx/Au pairs: RSA/RSA, ECDH/RSA,
 * DH/RSA, ECDH/ECDSA, DH/DSS, DH/None, ECDH/None). Each cipher string takes the family's CBC
 * and (at TLS 1.2) AEAD suites; the anonymous ones run without a certificate.
 */
export const FAMILIES = [
  { id: 'kRSA', label: 'static RSA', cert: 'rsa', cipher: 'kRSA' },
  { id: 'ECDHE-RSA', label: 'ECDHE-RSA', cert: 'rsa', cipher: 'kECDHE+aRSA' },
  { id: 'DHE-RSA', label: 'DHE-RSA', cert: 'rsa', cipher: 'kDHE+aRSA' },
  { id: 'ECDHE-ECDSA', label: 'ECDHE-ECDSA', cert: 'ecdsa', cipher: 'kECDHE+aECDSA' },
  { id: 'DHE-DSS', label: 'DHE-DSS', cert: 'dsa', cipher: 'kDHE+aDSS' },
  { id: 'ADH', label: 'anonymous DHE', cert: 'none', cipher: 'kDHE+aNULL' },
  { id: 'AECDH', label: 'anonymous ECDHE', cert: 'none', cipher: 'kECDHE+aNULL' },
] as const;
export type Family = (typeof FAMILIES)[number];

/** The test's own PKI: a CA and a leaf per key type for `localhost` and 127.0.0.1, SHA-256 signed, plus DH parameters. */
export interface Pki {
  dir: string;
  ca: string;
}

export function makePki(dir: string): Pki {
  const run = (args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'ignore' });
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2'].concat([
      '-subj',
      '/CN=tls-floor differential CA',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]),
  );
  writeFileSync(
    path.join(dir, 'leaf.ext'),
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      'basicConstraints=critical,CA:FALSE',
      'extendedKeyUsage=serverAuth',
      // What CPython 3.13's default VERIFY_X509_STRICT asks of a leaf; without them its refusal would be the certificate's fault.
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer',
    ].join('\n'),
  );
  const keys: Record<string, string[]> = {
    rsa: ['-newkey', 'rsa:2048'],
    ecdsa: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    dsa: ['-newkey', 'dsa:dsa.param'],
  };
  // DSA 2048/256: what security level 2 accepts, so a client's level never decides for the family.
  run(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa.param']);
  for (const [name, key] of Object.entries(keys)) {
    run(['req', '-new', '-nodes', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost']);
    run(
      ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-sha256',
        '-extfile',
        'leaf.ext',
      ]),
    );
  }
  // A named 2048-bit group: large enough for any client's security level.
  run(['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', 'dh.pem']);
  return { dir, ca: path.join(dir, 'ca.pem') };
}

/** What s_server recorded of the one connection it took. */
export interface ServerRecord {
  version: Version | 'control';
  family: Family['id'] | 'control';
  /** s_server's own count of handshakes it finished (SSL_accept). */
  completed: boolean;
  /** It sent a ServerHello (at the pinned version). */
  hello: boolean;
  /** A TCP connection reached it at all. */
  connected: boolean;
  /** The alert it received from the client, or the one it sent (s_server's -msg trace), or its error line. */
  why?: string;
}

export interface RunningServer {
  port: number;
  version: ServerRecord['version'];
  family: ServerRecord['family'];
  /** Waits for s_server to end (after its one connection) or ends it after `graceMs`; its record. */
  finish(graceMs: number): Promise<ServerRecord>;
}

/** Every s_server this file started and has not reaped, with its end: killAll (afterAll) ends and reaps them. */
const live = new Map<ChildProcess, Promise<void>>();

export async function killAll(): Promise<void> {
  for (const child of live.keys()) child.kill('SIGKILL');
  await Promise.all(live.values());
}

/**
 * The control: s_server with its own defaults (TLS 1.2 and 1.3, its default ciphers) and the RSA
 * certificate. Every client must complete it, or its refusals elsewhere prove nothing.
 */
export const CONTROL = {
  version: { name: 'control', flag: '-tls1_2', label: 'TLS 1.2-1.3' },
  family: { id: 'control', label: 'control', cert: 'rsa', cipher: 'DEFAULT' },
} as const;

type ServerVersion = (typeof VERSIONS)[number] | typeof CONTROL.version;
type ServerFamily = Family | typeof CONTROL.family;

/** Starts one s_server pinned to `version` and `family` on 127.0.0.1 (port chosen by the kernel, read from its ACCEPT line). */
export function startServer(pki: Pki, version: ServerVersion, family: ServerFamily): Promise<RunningServer> {
  const pin = version.name === 'control' ? [] : [version.flag];
  const cipher = family.id === 'control' ? [] : ['-cipher', `${family.cipher}:@SECLEVEL=0`];
  const cert =
    family.cert === 'none'
      ? ['-nocert']
      : ['-cert', path.join(pki.dir, `${family.cert}.pem`), '-key', path.join(pki.dir, `${family.cert}.key`)];
  const args = ['s_server', '-accept', '127.0.0.1:0', '-naccept', '1', '-www', '-msg', ...pin].concat(
    cert,
    ['-dhparam', path.join(pki.dir, 'dh.pem')],
    cipher,
  );
  const child = spawn(OPENSSL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const cap = (s: string, d: Buffer) => (s.length < 1_000_000 ? s + d.toString('latin1') : s);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  live.set(child, exited);
  exited.then(() => live.delete(child));
  let listening = false;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      if (listening) return;
      child.kill('SIGKILL');
      reject(new Error(`s_server ${version.flag} ${family.cipher}: ${why}: ${err.slice(0, 500)}`));
    };
    const timer = setTimeout(() => fail('no ACCEPT line in 30 s'), 30_000);
    child.stderr.on('data', (d: Buffer) => (err = cap(err, d)));
    child.stdout.on('data', (d: Buffer) => {
      out = cap(out, d);
      const m = /^ACCEPT 127\.0\.0\.1:(\d+)$/m.exec(out);
      if (!m || listening) return;
      listening = true;
      clearTimeout(timer);
      resolve({
        port: Number(m[1]),
        version: version.name,
        family: family.id,
        finish: async (graceMs) => {
          const ended = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
          if (!ended) {
            child.kill('SIGKILL');
            await exited;
          }
          return record(version.name, family.id, out, err);
        },
      });
    });
    child.once('error', (e) => fail(String(e)));
    exited.then(() => fail('exited before listening'));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** s_server's statistics and trace → the record. */
export function record(
  version: ServerRecord['version'],
  family: ServerRecord['family'],
  out: string,
  err: string,
): ServerRecord {
  const finished = /^\s*(\d+) server accepts that finished$/m.exec(out);
  const accepts = /^\s*(\d+) server accepts \(SSL_accept\(\)\)$/m.exec(out);
  const hello = /^>>> \S+ \S+, Handshake \[length [0-9a-f]+\], ServerHello$/m.test(out);
  const alert = /^(<<<|>>>) \S+ \S+, Alert \[length [0-9a-f]+\], (?:fatal|warning) (\w+)$/m.exec(out);
  const error = /:error:[0-9A-F]+:SSL routines:[^:]*:([^:\n]+)/.exec(err)?.[1];
  const completed = Number(finished?.[1] ?? 0) > 0;
  const why = completed
    ? undefined
    : alert
      ? `${alert[1] === '<<<' ? 'client' : 'server'} alert ${alert[2]}`
      : (error ?? (/<<< /.test(out) ? 'aborted' : 'no handshake'));
  return {
    version,
    family,
    completed,
    hello,
    connected: Number(accepts?.[1] ?? 0) > 0 || /^<<< /m.test(out),
    ...(why ? { why } : {}),
  };
}
