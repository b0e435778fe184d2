import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeMode } from '../../src/inputs/inputs.js';
import { corroborate } from '../../src/judgement/corroboration.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import { PythonClient, type PythonProbeOptions } from '../../src/probe/clients/python.js';
import { runProbe } from '../../src/probe/probe.js';
import { Refusal } from '../../src/shared/errors.js';
import type { Floor } from '../../src/shared/floor.js';
import { childProcesses } from '../fixtures/processes.js';
import { DEBIAN_PYTHON, fetchedVersions, PYTHON_LIBS, pythonLibsAvailable } from '../fixtures/python_libs.js';
import { temporaryFolder } from '../fixtures/temporary.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const haveLibs = pythonLibsAvailable();
// The ssl-module libraries; awscrt (its own TLS stack, a downgrade here) is test/probe/awscrt.test.ts's.
const LIBRARIES = ['urllib3', 'requests', 'httpx', 'aiohttp', 'botocore'] as const;
// The packages' versions (bookworm here: python3-urllib3 1.26.12, -requests 2.28.1, -httpx
// 0.23.3, -aiohttp 3.8.4, -botocore 1.29.27): what each client must report.
const DEBIAN_VERSIONS = fetchedVersions();

async function probe(options: PythonProbeOptions, floor: Floor, mode: ProbeMode) {
  const observation = await runProbe(new PythonClient(DEBIAN_PYTHON, options), {
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

/** A workspace with the module `tlsapp` whose callables return the application's configuration. */
function workspace(code: string): string {
  const dir = temporaryFolder('tls-floor-app-');
  writeFileSync(path.join(dir, 'tlsapp.py'), code);
  return dir;
}

describe.skipIf(!haveLibs)("library clients on /usr/bin/python3 with Debian's libraries on its path", () => {
  it('every library client runs, reports its version and context, decides in default mode, and is corroborated', async () => {
    const { observation, result, deciders, cell } = await probe(
      { libraries: LIBRARIES, importPath: [PYTHON_LIBS] },
      '1.2',
      'default',
    );
    for (const name of LIBRARIES) {
      const client = observation.clients.find((c) => c.name === name);
      expect(client, name).toMatchObject({ ran: true, mode: 'default', optional: true });
      expect(DEBIAN_VERSIONS[name], name).toMatch(/^\d+\.\d+/);
      expect(client?.settings['version'], name).toBe(DEBIAN_VERSIONS[name]);
      expect(client?.settings['module'], name).toContain(PYTHON_LIBS);
      expect(client?.settings['minimumVersion'], name).toMatch(/^(TLSv1_2|MINIMUM_SUPPORTED)$/);
      expect(client?.settings['options'], name).toContain('OP_NO_SSLv3');
      // The server's record of the library's own connection backs what it says.
      expect(cell('modern', name), name).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1.3',
        agreement: 'confirmed',
      });
      for (const v of ['TLSv1', 'TLSv1.1']) {
        // A context with no minimum of its own (Debian's default) completes static RSA, as
        // /usr/bin/python3 does against openssl s_server -tls1 -cipher kRSA@SECLEVEL=0 (issue 27).
        if (client?.settings['minimumVersion'] === 'MINIMUM_SUPPORTED') {
          expect(cell(v, name), `${name} ${v}`).toMatchObject({
            outcome: 'connected',
            version: v,
            family: 'static RSA',
          });
          continue;
        }
        // A TLS 1.2 minimum refuses the version in its offer, before any ServerHello: OpenSSL's own
        // reason, from under the library's wrappers (aiohttp's error is an ssl.SSLError itself).
        expect(cell(v, name), `${name} ${v}`).toMatchObject({
          outcome: 'refused',
          agreement: 'confirmed',
          refusal: 'before-server-hello',
          reason: expect.stringMatching(/^(TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL)$/),
        });
      }
    }
    expect(deciders).toEqual(['default', ...LIBRARIES]);
    // Debian's default context (the default client) has no minimum version: TLS 1.0 completes.
    expect(result.verdict).toBe('downgrade');
    // Every connection a server saw is accounted for by a handshake.
    expect(corroborate(observation.handshakes, observation.serverRecords).unclaimed).toEqual([]);
  });

  it('in both mode they decide beside default and strict; at a 1.3 floor each is a downgrade of its own (TLS 1.2 completes)', async () => {
    const { result, deciders, cell } = await probe({ libraries: LIBRARIES, importPath: [PYTHON_LIBS] }, '1.3', 'both');
    expect(deciders).toEqual(['default', 'strict', ...LIBRARIES]);
    expect(result.verdict).toBe('downgrade');
    for (const name of LIBRARIES)
      expect(cell('TLSv1.2', name), name).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1.2',
        agreement: 'confirmed',
      });
  });

  it('libraries chosen by name run alone; strict mode leaves them out', async () => {
    const { observation, deciders } = await probe(
      { libraries: ['botocore'], importPath: [PYTHON_LIBS] },
      '1.2',
      'strict',
    );
    expect(observation.clients.map((c) => c.name)).toEqual(['default', 'strict', 'botocore']);
    expect(deciders).toEqual(['strict']);
  });
});

describe('a library that does not import', () => {
  it('is listed as not run with its import error, has no handshakes and decides nothing', async () => {
    // /usr/bin/python3 has no httpx of its own: without the fetched folder on its path it cannot import it.
    const { observation, deciders, result } = await probe({ libraries: ['httpx'] }, '1.2', 'default');
    expect(observation.clients.find((c) => c.name === 'httpx')).toMatchObject({
      ran: false,
      skipped: expect.stringMatching(/^httpx is not importable: ModuleNotFoundError: No module named 'httpx'/),
    });
    expect(observation.handshakes.filter((h) => h.client === 'httpx')).toEqual([]);
    expect(deciders).toEqual(['default']);
    // The verdict is the default client's alone (Debian's context: a downgrade, static RSA).
    expect(result.verdict).toBe('downgrade');
    expect(result.findings.every((f) => f.client === 'default')).toBe(true);
  });
});

// The application's own configuration as client `app`. Probe-mode default with no library
// clients: `default` and `app` decide. (On /usr/bin/python3, OpenSSL 3.0.x, `strict` completes
// TLS 1.0 at @SECLEVEL=0, so probe-mode both or strict is a downgrade whatever the app does.)
const APP = `import ssl

def weakened():
    ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx

def as_shipped():
    return ssl.create_default_context()

def not_a_context():
    return 42

def broken():
    raise RuntimeError("no config file")

def hangs():
    import time
    time.sleep(600)
`;

describe('python-context: the application\'s own TLS configuration as client "app"', () => {
  it("a callable that sets minimum_version TLSv1 and ALL:@SECLEVEL=0 is a downgrade, and so is Debian's default context without it", async () => {
    const dir = workspace(APP);
    const weak = await probe({ libraries: [], context: 'tlsapp:weakened', workspace: dir }, '1.2', 'default');
    expect(weak.deciders).toEqual(['default', 'app']);
    expect(weak.result.verdict).toBe('downgrade');
    expect(weak.cell('TLSv1', 'app')).toMatchObject({ outcome: 'connected', version: 'TLSv1', agreement: 'confirmed' });
    expect(weak.observation.clients.find((c) => c.name === 'app')?.settings).toMatchObject({
      from: 'tlsapp:weakened',
      kind: 'ssl',
      minimumVersion: 'TLSv1',
    });

    // The same callable without it: ssl.create_default_context() as Debian ships it, with no
    // minimum version, completes static RSA at TLS 1.0 (as against openssl s_server, issue 27).
    const shipped = await probe({ libraries: [], context: 'tlsapp:as_shipped', workspace: dir }, '1.2', 'default');
    expect(shipped.deciders).toEqual(['default', 'app']);
    expect(shipped.result.verdict).toBe('downgrade');
    expect(shipped.cell('TLSv1', 'app')).toMatchObject({ outcome: 'connected', family: 'static RSA' });
    expect(shipped.cell('modern', 'app')).toMatchObject({ outcome: 'connected', agreement: 'confirmed' });
  });

  it.each([
    ['tlsapp:not_a_context', /^tlsapp:not_a_context\(\) returned a builtins\.int, not an ssl\.SSLContext/],
    ['tlsapp:broken', /^tlsapp:broken\(\) raised RuntimeError: no config file\.$/],
    ['tlsapp:missing', /^tlsapp has no missing\.$/],
    ['nosuchmodule:make', /^cannot import nosuchmodule \(ModuleNotFoundError: No module named 'nosuchmodule'\)\.$/],
  ])('%s: the probe fails with what is wrong', async (context, message) => {
    const dir = workspace(APP);
    const error = await runProbe(new PythonClient(DEBIAN_PYTHON, { libraries: [], context, workspace: dir }), {
      floor: '1.2',
      handshakeTimeoutMs: 5000,
      probeTimeoutMs: 60000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Refusal);
    expect((error as Refusal).subject).toBe('app-context');
    expect((error as Refusal).sentence(String)).toMatch(message);
  });

  it("a callable that never returns is bounded by the probe's timeout, and its process group is killed", async () => {
    const dir = workspace(APP);
    const started = Date.now();
    const client = new PythonClient(DEBIAN_PYTHON, { libraries: [], context: 'tlsapp:hangs', workspace: dir });
    const error = await runProbe(client, { floor: '1.2', handshakeTimeoutMs: 2000, probeTimeoutMs: 8000 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('the probe did not finish within 8000 ms');
    expect(Date.now() - started).toBeLessThan(30_000);
    // The probe kills the interpreter's process group (SIGKILL) as it gives up and does not wait
    // for it to be reaped: it is gone within moments (and afterEach finds no child left).
    await expect.poll(childProcesses, { timeout: 5000, interval: 100 }).toEqual([]);
  });

  it.skipIf(!haveLibs)(
    'a requests.Session, an httpx.Client, a urllib3 PoolManager and a botocore client connect through their own settings',
    async () => {
      const dir = workspace(`import ssl
import requests, httpx, urllib3, botocore.session
from requests.adapters import HTTPAdapter

class Tls13Adapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        kwargs["ssl_context"] = ctx
        return super().init_poolmanager(*args, **kwargs)

def session():
    s = requests.Session()
    s.mount("https://", Tls13Adapter())
    return s

def client():
    return httpx.Client()

def pool():
    return urllib3.PoolManager()

def s3():
    return botocore.session.get_session().create_client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
`);
      const session = await probe(
        { libraries: [], context: 'tlsapp:session', workspace: dir, importPath: [PYTHON_LIBS] },
        '1.3',
        'default',
      );
      // Its adapter's context allows TLS 1.3 only: TLS 1.2 is refused at a 1.3 floor.
      expect(session.cell('TLSv1.2', 'app')).toMatchObject({ outcome: 'refused', agreement: 'confirmed' });
      expect(session.cell('modern', 'app')).toMatchObject({ outcome: 'connected', version: 'TLSv1.3' });
      for (const context of ['tlsapp:client', 'tlsapp:pool', 'tlsapp:s3']) {
        const run = await probe(
          { libraries: [], context, workspace: dir, importPath: [PYTHON_LIBS] },
          '1.2',
          'default',
        );
        expect(run.cell('modern', 'app'), context).toMatchObject({
          outcome: 'connected',
          version: 'TLSv1.3',
          agreement: 'confirmed',
        });
        // Each library's own context: a TLS 1.2 minimum refuses TLS 1.0 in its offer; none
        // (Debian's default context) completes static RSA.
        const minimum = run.observation.clients.find((c) => c.name === 'app')?.settings['minimumVersion'];
        expect(run.cell('TLSv1', 'app'), `${context} ${minimum}`).toMatchObject(
          minimum === 'MINIMUM_SUPPORTED'
            ? { outcome: 'connected', family: 'static RSA' }
            : { outcome: 'refused', refusal: 'before-server-hello' },
        );
      }
    },
  );
});
