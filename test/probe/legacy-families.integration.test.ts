import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRunCertificates, runRsaKey } from '../../src/probe/certs.js';
import type { ServerSide } from '../../src/probe/handshake.js';
import { LEGACY_FAMILIES, LEGACY_PREFERENCE, type LegacyFamily } from '../../src/probe/server_kinds.js';
import {
  type LegacyIdentities,
  legacyIdentities,
  type RunningServer,
  startLegacyServer,
} from '../../src/probe/servers.js';
import type { TlsVersion } from '../../src/shared/floor.js';
import { childProcesses } from '../fixtures/processes.js';
import { requiredOnCi, requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

requireTool('openssl');

/**
 * The legacy servers serve every family (issue 27): OpenSSL's own client (/usr/bin/openssl
 * s_client, not this project's code), restricted to one key exchange and authentication family at
 * security level 0, completes a handshake with the server pinned to each version below a floor,
 * with a CBC suite and, at TLS 1.2, an AEAD one. Which suites a restriction allows is what the
 * same openssl says (`openssl ciphers -s`); the server's own record must show one of them.
 */

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const;
const FLAG: Record<TlsVersion, string> = {
  TLSv1: '-tls1',
  'TLSv1.1': '-tls1_1',
  'TLSv1.2': '-tls1_2',
  'TLSv1.3': '-tls1_3',
};
// AEAD: GCM, CCM and ChaCha20-Poly1305, TLS 1.2 only. CBC: the SHA-1 and SHA-256/384 MAC suites.
const MODES = { CBC: '+SHA1:{}+SHA256:{}+SHA384', AEAD: '+AESGCM:{}+CHACHA20:{}+AESCCM' } as const;

const NODE24 = path.resolve('.cache/node24/bin/node');
const HAS_NODE24 = requiredOnCi(
  'Node.js 24',
  existsSync(NODE24),
  `${NODE24} is missing: run scripts/fetch-test-sources.sh`,
);

let dir: string;
let caFile: string;
let identities: LegacyIdentities;
const servers = new Map<TlsVersion, RunningServer>();

beforeAll(async () => {
  dir = temporaryFolder('tls-floor-families-');
  const certs = makeRunCertificates();
  caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, certs.caPem);
  identities = legacyIdentities(certs, await runRsaKey());
  for (const v of VERSIONS) servers.set(v, await startLegacyServer(identities, v));
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
  expect(childProcesses()).toEqual([]);
});

/** The suites openssl allows for a cipher string at a version ('' when none). */
function suitesFor(version: TlsVersion, cipher: string): string[] {
  try {
    const out = execFileSync('openssl', ['ciphers', FLAG[version], '-s', cipher], { encoding: 'utf8', stdio: 'pipe' });
    return out.trim() === '' ? [] : out.trim().split(':');
  } catch {
    return []; // "no cipher match"
  }
}

/** One s_client handshake; the server's record of it (the last connection it saw). */
function openssl(port: number, args: string[]): Promise<string> {
  return new Promise<string>((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', caFile, ...args],
      { encoding: 'utf8', timeout: 10_000 },
      (_e, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    child.stdin?.end();
  });
}

async function sClient(version: TlsVersion, args: string[]): Promise<{ said: string; saw: ServerSide }> {
  const server = servers.get(version)!;
  const said = await openssl(server.port, args);
  await server.settled(2000);
  return { said, saw: server.seen.at(-1)! };
}

/** Every version, family and mode for which openssl has a suite: TLS 1.0 and 1.1 have no AEAD suite, anonymous ECDH none at all. */
const CASES = VERSIONS.flatMap((version) =>
  (Object.keys(LEGACY_FAMILIES) as LegacyFamily[]).flatMap((family) =>
    Object.entries(MODES).flatMap(([mode, tail]) => {
      const spec = LEGACY_FAMILIES[family];
      const cipher = `${spec}${tail.replaceAll('{}', spec)}:@SECLEVEL=0`;
      const allowed = suitesFor(version, cipher);
      return allowed.length === 0 ? [] : [{ version, family, mode, cipher, allowed }];
    }),
  ),
);

describe('a client restricted to one family completes a handshake with each legacy server', () => {
  it('covers every family at every version, with CBC, and AEAD at TLS 1.2 but for anonymous ECDH', () => {
    const families = Object.keys(LEGACY_FAMILIES).length;
    expect(CASES.filter((c) => c.mode === 'CBC')).toHaveLength(3 * families);
    expect(CASES.filter((c) => c.mode === 'AEAD').map((c) => [c.version, c.family])).toHaveLength(families - 1);
  });

  for (const { version, family, mode, cipher, allowed } of CASES) {
    it(`${version}, ${family}, ${mode} (${allowed.length} suites)`, async () => {
      const { said, saw } = await sClient(version, [FLAG[version], '-cipher', cipher, '-verify_return_error']);
      expect(saw, said).toMatchObject({ completed: true, version });
      expect(allowed).toContain(saw.cipher);
      expect(said).toMatch(new RegExp(`Cipher is ${saw.cipher}`));
    });
  }
});

describe("the legacy servers' order of preference", () => {
  it("openssl s_client's defaults complete a static-RSA handshake at TLS 1.0 and 1.1 (no SHA-1 signature asked)", async () => {
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      const { said, saw } = await sClient(version, [FLAG[version]]);
      expect(saw, said).toMatchObject({ completed: true, version });
      expect(suitesFor(version, 'kRSA:@SECLEVEL=0')).toContain(saw.cipher);
    }
  });

  it('a client that accepts TLS 1.0 but refuses its SHA-1 signature leaves a server record with the ServerHello it had', async () => {
    // ECDHE-ECDSA at the default security level: the client accepts the TLSv1 ServerHello, then
    // refuses the SHA-1 signature over the key exchange.
    const { said, saw } = await sClient('TLSv1', ['-tls1', '-cipher', 'ECDHE+aECDSA']);
    expect(said).toMatch(/Cipher is \(NONE\)/);
    expect(saw).toMatchObject({ completed: false, hello: true, serverHello: 'TLSv1' });
  });

  it('a client that refuses the version itself leaves a record with no ServerHello', async () => {
    const { said, saw } = await sClient('TLSv1', ['-no_tls1', '-no_tls1_1']);
    expect(said).toMatch(/alert protocol version|Cipher is \(NONE\)/);
    expect(saw).toMatchObject({ completed: false, hello: true, code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' });
    expect(saw.serverHello).toBeUndefined();
  });
});

// The action's servers run on Node.js 24 (OpenSSL 3.5): the same options there, every family.
describe.skipIf(!HAS_NODE24)('the same legacy server on Node.js 24 (OpenSSL 3.5)', () => {
  let child: ChildProcess;
  const lines: string[] = [];
  const next = async (prefix: string) => {
    await expect.poll(() => lines.find((l) => l.startsWith(prefix)), { timeout: 10_000 }).toBeTruthy();
    const line = lines.splice(
      lines.findIndex((l) => l.startsWith(prefix)),
      1,
    )[0]!;
    return line.slice(prefix.length);
  };
  afterAll(() => child?.stdin?.end());

  for (const version of VERSIONS) {
    it(`${version}: a client restricted to each family completes a handshake`, async () => {
      child = spawn(NODE24, [path.resolve('test/fixtures/legacy-server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
      child.stdout!.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
      child.stdin!.write(`${JSON.stringify({ version, ciphers: LEGACY_PREFERENCE, ...identities })}\n`);
      const port = Number(await next('port '));
      try {
        for (const c of CASES.filter((x) => x.version === version)) {
          const said = await openssl(port, [FLAG[version], '-cipher', c.cipher, '-verify_return_error']);
          const [got, cipher] = (await next('completed ')).split(' ');
          expect([got, c.allowed.includes(cipher!)], `${c.family} ${c.mode}: ${said.slice(-300)}`).toEqual([
            version,
            true,
          ]);
        }
      } finally {
        child.stdin!.end();
        await new Promise((r) => child.once('exit', r));
      }
    });
  }
});
