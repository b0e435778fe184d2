import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcesses } from '../fixtures/processes.js';
import { requiredOnCi, requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

requireTool('openssl');

/**
 * Groundwork for the weak servers of issue 14: which of them Node.js can serve, each proven by a
 * control handshake that asks for exactly that weakness, and what Node's own default client does
 * with each. Run with the Node.js of the tests (20, OpenSSL 3.0) and with Node.js 24 (OpenSSL 3.5),
 * which runs the action. Certificates: throwaway ECDSA P-256 and RSA 2048 from `openssl req`.
 */

const NODE24 = path.resolve('.cache/node24/bin/node');
const HAS_NODE24 = requiredOnCi(
  'Node.js 24',
  existsSync(NODE24),
  `${NODE24} is missing: run scripts/fetch-test-sources.sh`,
);
const SCRIPT = path.resolve('test/fixtures/weak-server-reach.cjs');
let dir: string;

beforeAll(() => {
  dir = temporaryFolder('tls-floor-reach-');
  const req = (args: string[]) =>
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        ...args,
      ],
      { cwd: dir, stdio: 'ignore' },
    );
  req(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', 'ec.key', '-out', 'ec.crt']);
  req(['-newkey', 'rsa:2048', '-keyout', 'rsa.key', '-out', 'rsa.crt']);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(childProcesses()).toEqual([]);
});

interface Handshake {
  connected: boolean;
  version?: string;
  cipher?: string;
  group?: string;
  error?: string;
}
interface Case {
  case: string;
  server?: string;
  control?: Handshake;
  nodeDefault?: Handshake;
  serverSigalgs?: string[];
}

function reach(node: string): { node: string; openssl: string; cases: Record<string, Case> } {
  const out = JSON.parse(execFileSync(node, [SCRIPT, dir], { encoding: 'utf8', timeout: 60_000 })) as {
    node: string;
    openssl: string;
    cases: Case[];
  };
  return { ...out, cases: Object.fromEntries(out.cases.map((c) => [c.case, c])) };
}

const control = (c: Case | undefined) =>
  c?.control && (c.control.connected ? `${c.control.version} ${c.control.cipher}` : c.control.error);

function expectCommonCases(cases: Record<string, Case>): void {
  // Each weak server is reachable by its control, with exactly the weakness asked for.
  expect(control(cases['cbc-sha1-only'])).toBe('TLSv1.2 ECDHE-ECDSA-AES128-SHA');
  expect(control(cases['static-rsa-only'])).toBe('TLSv1.2 AES128-GCM-SHA256'); // needs the RSA certificate
  expect(control(cases['null-only (ECDHE-ECDSA-NULL-SHA)'])).toBe('TLSv1.2 ECDHE-ECDSA-NULL-SHA');
  expect(control(cases['null-only (NULL-SHA256, static RSA)'])).toBe('TLSv1.2 NULL-SHA256');
  expect(control(cases['sha1-signed'])).toBe('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
  expect(cases['sha1-signed']!.serverSigalgs).toEqual(['ECDSA+SHA1']); // the only signature it can make
  expect(control(cases['TLSv1.3 (Mozilla modern)'])).toMatch(/^TLSv1\.3 /);
  expect(control(cases['mozilla-intermediate'])).toBe('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
  // Node's own default client: completes CBC-SHA1 and static RSA, refuses NULL and SHA-1 signatures.
  expect(cases['cbc-sha1-only']!.nodeDefault).toMatchObject({ connected: true, cipher: 'ECDHE-ECDSA-AES128-SHA' });
  expect(cases['static-rsa-only']!.nodeDefault).toMatchObject({ connected: true, cipher: 'AES128-GCM-SHA256' });
  expect(cases['null-only (ECDHE-ECDSA-NULL-SHA)']!.nodeDefault).toMatchObject({ connected: false });
  expect(cases['null-only (NULL-SHA256, static RSA)']!.nodeDefault).toMatchObject({ connected: false });
  expect(cases['sha1-signed']!.nodeDefault).toMatchObject({ connected: false });
}

describe('which weak servers Node.js can serve (each proven by a control)', () => {
  it('Node.js 20 (OpenSSL 3.0): every weak server but the hybrid-PQ-only one', () => {
    const result = reach(process.execPath);
    expect(result.openssl).toMatch(/^3\.0\./);
    expectCommonCases(result.cases);
    expect(result.cases['pq-hybrid-only']!.server).toBe('cannot start: ERR_CRYPTO_OPERATION_FAILED');
  });

  it.skipIf(!HAS_NODE24)('Node.js 24 (OpenSSL 3.5): every weak server, the hybrid-PQ-only one too', () => {
    const result = reach(NODE24);
    expect(result.openssl).toMatch(/^3\.5\./);
    expectCommonCases(result.cases);
    expect(result.cases['pq-hybrid-only']!.control).toMatchObject({
      connected: true,
      version: 'TLSv1.3',
      group: 'X25519MLKEM768',
    });
    // Node 24's default client offers X25519MLKEM768 and completes it.
    expect(result.cases['pq-hybrid-only']!.nodeDefault).toMatchObject({ connected: true, group: 'X25519MLKEM768' });
  });
});
