import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeMode } from '../../src/inputs/inputs.js';
import { corroborate } from '../../src/judgement/corroboration.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import { PythonClient, type PythonProbeOptions } from '../../src/probe/clients/python.js';
import { runProbe } from '../../src/probe/probe.js';
import type { Floor } from '../../src/shared/floor.js';
import { childProcesses } from '../fixtures/processes.js';
import { awscrtAvailable, DEBIAN_PYTHON, PYTHON_LIBS } from '../fixtures/python_libs.js';
import { startSServer } from '../fixtures/s_server.js';
import { temporaryFolder } from '../fixtures/temporary.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const haveAwscrt = awscrtAvailable();

async function probe(options: PythonProbeOptions, floor: Floor, mode: ProbeMode) {
  const observation = await runProbe(new PythonClient(DEBIAN_PYTHON, { importPath: [PYTHON_LIBS], ...options }), {
    floor,
    handshakeTimeoutMs: 5000,
    probeTimeoutMs: 60000,
  });
  const deciders = decidingClients(mode, observation.clients);
  const result = decideVerdict({
    floor,
    servers: observation.servers,
    deciders,
    handshakes: observation.handshakes,
    serverRecords: observation.serverRecords,
  });
  const cell = (server: string, client: string) =>
    result.handshakes.find((h) => h.server === server && h.client === client);
  return { observation, result, deciders, cell };
}

/** What /usr/bin/python3 with Debian's awscrt says of itself. */
function awscrtSays(code: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(DEBIAN_PYTHON, ['-c', code], {
    env: { ...process.env, PYTHONPATH: PYTHON_LIBS, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  }).trim();
}

/**
 * The truth, from OpenSSL alone: `openssl s_server -tls1` (TLS 1.0 only, an ECDSA P-256
 * certificate, every cipher at @SECLEVEL=0) and awscrt's HTTP client connecting to it directly
 * with the options `make` builds: what awscrt says, and the protocol of the session s_server
 * printed for a completed handshake.
 */
async function sServerTruth(make: string): Promise<string> {
  const server = await startSServer(['-tls1', '-cipher', 'ALL:@SECLEVEL=0']);
  try {
    const script = path.join(temporaryFolder('tls-floor-awscrt-truth-'), 'truth.py');
    writeFileSync(script, TRUTH.replace('MAKE', make));
    const client = awscrtSays(`exec(open(${JSON.stringify(script)}).read())`, {
      CA: server.cert,
      PORT: String(server.port),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    return `${client}; s_server: ${server.protocols().join(', ') || 'none'}`;
  } finally {
    await server.stop();
  }
}

const TRUTH = `import os
from awscrt import io, http
options = MAKE
options.override_default_trust_store_from_path(None, os.environ["CA"])
tco = io.ClientTlsContext(options).new_connection_options()
tco.set_server_name("localhost")
group = io.EventLoopGroup(1)
try:
    c = http.HttpClientConnection.new(host_name="localhost", port=int(os.environ["PORT"]), bootstrap=io.ClientBootstrap(group, io.DefaultHostResolver(group)), socket_options=io.SocketOptions(), tls_connection_options=tco).result(10)
    print("connected")
    c.close().result(10)
except Exception as e:
    print("failed", getattr(e, "name", type(e).__name__))
`;

describe.skipIf(!haveAwscrt)("awscrt (Debian's python3-awscrt) on /usr/bin/python3", () => {
  it('the truth: its default options complete TLS 1.0 with openssl s_server -tls1; min_tls_ver TLSv1_2 does not', async () => {
    expect(await sServerTruth('io.TlsContextOptions()')).toBe('connected; s_server: TLSv1');
    expect(await sServerTruth('io.TlsContextOptions()\noptions.min_tls_ver = io.TlsVersion.TLSv1_2')).toBe(
      'failed AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE; s_server: none',
    );
  });

  it('the awscrt library client: its version, s2n, its minimum setting; a downgrade at TLS 1.0, as s_server shows, corroborated by port', async () => {
    const { observation, result, deciders, cell } = await probe({ libraries: ['awscrt'] }, '1.2', 'default');
    const client = observation.clients.find((c) => c.name === 'awscrt');
    expect(client).toMatchObject({ ran: true, mode: 'default', optional: true });
    expect(client?.settings['version']).toBe(awscrtSays('import awscrt; print(awscrt.__version__)'));
    expect(client?.settings['module']).toContain(PYTHON_LIBS);
    expect(client?.settings['tlsImplementation']).toMatch(/^s2n-tls/);
    expect(client?.settings['minimumVersion']).toBe('DEFAULT');
    expect(client?.settings['call']).toContain('create_s3_crt_client(verify=CA)');
    expect(deciders).toEqual(['default', 'awscrt']);
    expect(cell('modern', 'awscrt')).toMatchObject({ outcome: 'connected', agreement: 'confirmed' });
    expect(cell('TLSv1', 'awscrt')).toMatchObject({ outcome: 'connected', version: 'TLSv1', agreement: 'confirmed' });
    expect(result.verdict).toBe('downgrade');
    expect(result.findings.find((f) => f.client === 'awscrt' && f.server === 'TLSv1')?.message).toMatch(/TLSv1\b/);
    expect(corroborate(observation.handshakes, observation.serverRecords).unclaimed).toEqual([]);
  });
});

const APP = `from awscrt import io

def pinned():
    options = io.TlsContextOptions()
    options.min_tls_ver = io.TlsVersion.TLSv1_2
    return options

def pinned_context():
    options = io.TlsContextOptions()
    options.min_tls_ver = io.TlsVersion.TLSv1_2
    return io.ClientTlsContext(options)

def as_shipped():
    return io.ClientTlsContext(io.TlsContextOptions())
`;

describe.skipIf(!haveAwscrt)(
  'python-context returning awscrt objects: client "app" connects through exactly them',
  () => {
    it('TlsContextOptions with min_tls_ver TLSv1_2 passes: the legacy servers see a refusal (protocol_version); the modern one a handshake', async () => {
      const dir = temporaryFolder('tls-floor-awscrt-app-');
      writeFileSync(path.join(dir, 'tlsapp.py'), APP);
      const { observation, result, deciders, cell } = await probe(
        { libraries: [], context: 'tlsapp:pinned', workspace: dir },
        '1.2',
        'default',
      );
      expect(deciders).toEqual(['default', 'app']);
      expect(observation.clients.find((c) => c.name === 'app')?.settings).toMatchObject({
        from: 'tlsapp:pinned',
        kind: 'awscrt-options',
        minimumVersion: 'TLSv1_2',
        tlsImplementation: expect.stringMatching(/^s2n-tls/),
        awscrt: awscrtSays('import awscrt; print(awscrt.__version__)'),
      });
      // The app's own version is not awscrt's.
      expect(observation.clients.find((c) => c.name === 'app')?.settings['version']).toBeUndefined();
      expect(cell('modern', 'app')).toMatchObject({ outcome: 'connected', agreement: 'confirmed' });
      for (const v of ['TLSv1', 'TLSv1.1'])
        expect(cell(v, 'app'), v).toMatchObject({
          outcome: 'refused',
          agreement: 'confirmed',
          reason: expect.stringMatching(/TLS alert 70 \(protocol version\)$/),
        });
      // The app's own evidence holds; Debian's python3 default client beside it completes static RSA
      // at TLS 1.0 (issue 27), so only the app's findings are this test's.
      expect(result.findings.filter((f) => f.client === 'app')).toEqual([]);
      expect(corroborate(observation.handshakes, observation.serverRecords).unclaimed).toEqual([]);
    });

    it('a ClientTlsContext is made again from its own options with the CA: pinned passes, as shipped is a downgrade', async () => {
      const dir = temporaryFolder('tls-floor-awscrt-app-');
      writeFileSync(path.join(dir, 'tlsapp.py'), APP);
      const pinned = await probe({ libraries: [], context: 'tlsapp:pinned_context', workspace: dir }, '1.2', 'default');
      expect(pinned.observation.clients.find((c) => c.name === 'app')?.settings).toMatchObject({
        kind: 'awscrt-context',
        minimumVersion: 'TLSv1_2',
      });
      expect(pinned.result.findings.filter((f) => f.client === 'app')).toEqual([]);
      const shipped = await probe({ libraries: [], context: 'tlsapp:as_shipped', workspace: dir }, '1.2', 'default');
      expect(shipped.cell('TLSv1', 'app')).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1',
        agreement: 'confirmed',
      });
      expect(shipped.result.findings).toContainEqual(expect.objectContaining({ client: 'app', verdict: 'downgrade' }));
    });
  },
);
