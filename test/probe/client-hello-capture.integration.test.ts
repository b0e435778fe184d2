import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeRunCertificates, type RunCertificates } from '../../src/probe/certs.js';
import type { HelloCapture } from '../../src/probe/peek.js';
import {
  type ClientHello,
  hybridPqGroups,
  hybridPqKeyShares,
  offeredVersions,
  offersCompression,
  offersTlsBelow,
} from '../../src/shared/tls/client_hello.js';
import { type HelloServer, listenWithClientHello } from '../fixtures/hello-server.js';
import {
  offersCbcSha1,
  offersHybridPq,
  offersNull,
  offersSha1Signatures,
  offersStaticRsa,
} from '../fixtures/offers.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';
import { requiredOnCi } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

/**
 * Real clients of this machine against the peeking server: the handshake must still complete
 * after the peek, and the hello each one sent is recorded. UPDATE_CLIENT_HELLO_FIXTURES=1 writes
 * the captured records to test/fixtures/client-hello/ for the parser's unit tests.
 */

const NODE24 = path.resolve('.cache/node24/bin/node');
const HAS_NODE24 = requiredOnCi(
  'Node.js 24',
  existsSync(NODE24),
  `${NODE24} is missing: run scripts/fetch-test-sources.sh`,
);
const PYTHON = '/usr/bin/python3';
const FIXTURES = path.resolve('test/fixtures/client-hello');
const HTTP_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n';

let certs: RunCertificates;
let dir: string;
let caFile: string;
const servers: HelloServer[] = [];

beforeAll(() => {
  certs = makeRunCertificates();
  dir = temporaryFolder('tls-floor-hello-');
  caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, certs.caPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  const closing = servers.splice(0);
  await Promise.all(closing.map((s) => s.close()));
  for (const s of closing) expect(await isClosed(s.port)).toBe(true);
  expect(childProcesses()).toEqual([]);
});

interface Seen {
  captures: HelloCapture[];
  secure: { version: string | null; cipher: string; hello?: ClientHello }[];
}

async function serve(options: tls.TlsOptions = {}): Promise<{ server: HelloServer; seen: Seen }> {
  const seen: Seen = { captures: [], secure: [] };
  const server = await listenWithClientHello(
    { key: certs.keyPem, cert: certs.certPem, minVersion: 'TLSv1', ...options },
    (capture) => seen.captures.push(capture),
    (socket) => {
      seen.secure.push({
        version: socket.getProtocol(),
        cipher: socket.getCipher().name,
        ...(server.captureFor(socket)?.hello ? { hello: server.captureFor(socket)!.hello! } : {}),
      });
      socket.on('error', () => socket.destroy());
      socket.once('data', () => socket.end(HTTP_RESPONSE));
      socket.on('end', () => socket.end());
    },
  );
  servers.push(server);
  return { server, seen };
}

function run(file: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

const nodeClient = (port: number, extra = '') => `
const tls = require('tls');
const s = tls.connect({ host: '127.0.0.1', port: ${port}, servername: 'localhost',
  ca: require('fs').readFileSync(${JSON.stringify(caFile)}) ${extra} }, () => {
  console.log(JSON.stringify({ version: s.getProtocol(), cipher: s.getCipher().name,
    group: (s.getEphemeralKeyInfo() || {}).name }));
  s.end('GET / HTTP/1.0\\r\\n\\r\\n');
});
s.on('data', () => {});
s.on('error', (e) => { console.log(JSON.stringify({ error: e.code || e.message })); process.exitCode = 2; });
`;

const pythonClient = (port: number, strict: boolean) => `
import json, socket, ssl
if ${strict ? 'True' : 'False'}:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(${JSON.stringify(caFile)})
    ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    ctx.set_ciphers('ALL:@SECLEVEL=0')
else:
    ctx = ssl.create_default_context(cafile=${JSON.stringify(caFile)})
with socket.create_connection(('127.0.0.1', ${port}), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname='localhost') as s:
        print(json.dumps({'version': s.version(), 'cipher': s.cipher()[0]}))
        s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
        s.recv(100)
`;

function keep(name: string, capture: HelloCapture | undefined): void {
  if (process.env['UPDATE_CLIENT_HELLO_FIXTURES'] !== '1' || !capture?.hello) return;
  mkdirSync(FIXTURES, { recursive: true });
  const records = capture.bytes.subarray(0, capture.hello.recordBytes);
  writeFileSync(
    path.join(FIXTURES, `${name}.hex`),
    `${records
      .toString('hex')
      .replace(/(.{64})/g, '$1\n')
      .trim()}\n`,
  );
}

const names = (list: { name?: string; code: number }[] | undefined) => (list ?? []).map((n) => n.name ?? n.code);

describe('the peeking server with the machine’s real clients', () => {
  it('Node.js 20 (OpenSSL 3.0): handshake completes after the peek; no hybrid PQ group offered', async () => {
    const { server, seen } = await serve();
    const result = await run(process.execPath, ['-e', nodeClient(server.port)]);
    expect(result.stdout).toContain('"version":"TLSv1.3"');
    expect(process.versions.openssl).toMatch(/^3\.0\./);
    const hello = seen.captures[0]!.hello!;
    keep('node20-default', seen.captures[0]);
    expect(seen.secure).toHaveLength(1);
    expect(seen.secure[0]!.hello).toBe(hello);
    expect(names(offeredVersions(hello))).toEqual(['TLSv1.3', 'TLSv1.2']);
    expect(hello.serverName).toBe('localhost');
    expect(offersHybridPq(hello)).toBe(false);
    expect(names(hello.keyShareGroups)).toEqual(['x25519']);
    // OpenSSL 3.0 signals RFC 5746 with the SCSV, not the extension.
    expect(hello.flags).toMatchObject({
      extendedMasterSecret: true,
      renegotiationInfo: false,
      emptyRenegotiationInfoScsv: true,
    });
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(false);
    expect(offersStaticRsa(hello)).toBe(true); // Node's default list still carries AES256-SHA256 etc.
    expect(offersNull(hello)).toBe(false);
    expect(offersCompression(hello)).toBe(false);
  });

  it.skipIf(!HAS_NODE24)('Node.js 24 (OpenSSL 3.5): offers and negotiates X25519MLKEM768', async () => {
    const { server, seen } = await serve();
    const result = await run(NODE24, ['-e', nodeClient(server.port)]);
    expect(result.stdout).toContain('"version":"TLSv1.3"');
    const hello = seen.captures[0]!.hello!;
    keep('node24-default', seen.captures[0]);
    expect(hybridPqGroups(hello)).toContain('X25519MLKEM768');
    expect(hybridPqKeyShares(hello)).toEqual(['X25519MLKEM768']);
    expect(names(hello.keyShareGroups)).toEqual(['X25519MLKEM768', 'x25519']);
    // The server runs on Node 20's OpenSSL 3.0, which has no ML-KEM: it must pick x25519.
    expect(JSON.parse(result.stdout).group).toBe('X25519');
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(false);
    // OpenSSL 3.5 sends the renegotiation_info extension itself.
    expect(hello.flags).toMatchObject({ renegotiationInfo: true, emptyRenegotiationInfoScsv: false });
  });

  it('Python default context: lists TLS 1.0/1.1 in supported_versions, but no SHA-1 signature', async () => {
    const { server, seen } = await serve();
    const result = await run(PYTHON, ['-c', pythonClient(server.port, false)]);
    expect(result.stdout).toContain('"version": "TLSv1.3"');
    const hello = seen.captures[0]!.hello!;
    keep('python311-default', seen.captures[0]);
    // OpenSSL 3.0's library minimum is TLS 1.0: the hello lists it, though at security level 2
    // no TLS 1.0 handshake can complete (no SHA-1 signature is offered): offered, not negotiable.
    expect(names(offeredVersions(hello))).toEqual(['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1']);
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(true);
    expect(offersSha1Signatures(hello)).toBe(false);
    expect(offersHybridPq(hello)).toBe(false);
    expect(hello.alpn).toBeUndefined();
  });

  it('Python strict context (MINIMUM_SUPPORTED, ALL:@SECLEVEL=0): offers TLS 1.0, static RSA, CBC-SHA1', async () => {
    const { server, seen } = await serve();
    const result = await run(PYTHON, ['-c', pythonClient(server.port, true)]);
    expect(result.stdout).toContain('"version": "TLSv1.3"');
    const hello = seen.captures[0]!.hello!;
    keep('python311-strict', seen.captures[0]);
    expect(names(offeredVersions(hello))).toEqual(['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1']);
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(true);
    expect(offersStaticRsa(hello)).toBe(true);
    expect(offersCbcSha1(hello)).toBe(true);
    expect(offersSha1Signatures(hello)).toBe(true);
    expect(offersNull(hello)).toBe(false); // ALL excludes eNULL
  });

  it('curl: offers ALPN h2 and http/1.1 and gets the answer through the peeked connection', async () => {
    const { server, seen } = await serve();
    const result = await run('curl', [
      '-q',
      '-sS',
      '--noproxy',
      '*',
      '--cacert',
      caFile,
      '--resolve',
      `localhost:${server.port}:127.0.0.1`,
      `https://localhost:${server.port}/`,
    ]);
    expect(result.stdout).toBe('ok\n');
    const hello = seen.captures[0]!.hello!;
    keep('curl7-default', seen.captures[0]);
    expect(hello.alpn).toEqual(['h2', 'http/1.1']);
    expect(hello.serverName).toBe('localhost');
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(true); // as Python's default: OpenSSL 3.0's minimum
  });

  it('openssl s_client: handshake completes after the peek, over TLS 1.2 too', async () => {
    const { server, seen } = await serve({ maxVersion: 'TLSv1.2' });
    const result = await run(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${server.port}`,
        '-servername',
        'localhost',
        '-CAfile',
        caFile,
        '-verify_return_error',
        '-brief',
      ],
      'Q\n',
    );
    expect(result.stderr).toMatch(/Protocol version: TLSv1\.2/);
    expect(seen.secure[0]!.version).toBe('TLSv1.2');
    const hello = seen.captures[0]!.hello!;
    keep('openssl30-s_client', seen.captures[0]);
    expect(names(offeredVersions(hello))).toEqual(['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1']);
    expect(hello.flags.sessionTicket).toBe(true);
  });

  it('Node.js 20 pinned to TLS 1.0 (no supported_versions): the legacy view and SCSV are read', async () => {
    const { server, seen } = await serve({ ciphers: 'ALL:@SECLEVEL=0' });
    const result = await run(process.execPath, [
      '-e',
      nodeClient(server.port, ", minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0'"),
    ]);
    expect(result.stdout).toContain('"version":"TLSv1"');
    const hello = seen.captures[0]!.hello!;
    keep('node20-tls1-only', seen.captures[0]);
    expect(hello.supportedVersions).toBeUndefined();
    expect(names(offeredVersions(hello))).toEqual(['TLSv1']);
    expect(offersTlsBelow(hello, 'TLSv1.2')).toBe(true);
    expect(hello.flags.emptyRenegotiationInfoScsv).toBe(true);
  });

  it('a client that sends garbage: the capture says so and the TLS server refuses it', async () => {
    const { server, seen } = await serve();
    const errors: string[] = [];
    server.tlsServer.on('tlsClientError', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
    await new Promise<void>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.captures[0]!.error).toMatch(/^malformed: record type 71/);
    expect(errors).toEqual([expect.stringMatching(/ERR_SSL_HTTP_REQUEST|ERR_SSL_WRONG_VERSION_NUMBER/)]);
  });
});
