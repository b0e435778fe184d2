import { readdirSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveClient } from '../../src/action/client_choice.js';
import type { ProbeMode } from '../../src/inputs/inputs.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import { type ProbeOptions, runProbe } from '../../src/probe/probe.js';
import type { Floor } from '../../src/shared/floor.js';
import { pythonTooOld, pythonWithoutSsl, systemPython, wrappedPython } from '../fixtures/interpreters.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';
import { optional } from '../fixtures/requirements.js';

let python: string;
beforeAll(() => {
  python = systemPython();
});

async function probe(floor: Floor, mode: ProbeMode, extra: Partial<ProbeOptions> = {}, interpreter = python) {
  // As python-path gives it: a failure to start names the input.
  const { client } = await resolveClient({ client: 'python', pythonPath: interpreter, clientShell: false });
  const observation = await runProbe(client, {
    floor,
    handshakeTimeoutMs: 5000,
    probeTimeoutMs: 30000,
    ...extra,
  });
  const result = decideVerdict({
    floor,
    servers: observation.servers,
    deciders: decidingClients(mode),
    handshakes: observation.handshakes,
    serverRecords: observation.serverRecords,
  });
  return { observation, result };
}

afterEach(async () => {
  expect(childProcesses()).toEqual([]);
});

describe('the probe against the machine python3 (stock OpenSSL 3)', () => {
  it('is a downgrade in strict mode at a 1.2 floor: it can be talked into TLS 1.0', async () => {
    const { observation, result } = await probe('1.2', 'strict');
    expect(result.verdict).toBe('downgrade');
    const strictV1 = observation.handshakes.find((h) => h.server === 'TLSv1' && h.client === 'strict');
    expect(strictV1).toMatchObject({ outcome: 'connected', version: 'TLSv1' });
    expect(observation.runtime.tlsLibrary).toMatch(/^OpenSSL 3\./);
    expect(observation.runtime.details['HAS_TLSv1']).toBe(true);
    // Every server is closed once the probe returns.
    for (const server of observation.servers) expect(await isClosed(server.port)).toBe(true);
  });

  it('concludes from handshakes, not ssl.HAS_*: constants that deny TLS 1.0-1.2 do not hide a library that speaks TLS 1.0', async () => {
    const liar = wrappedPython(
      'python-has-lies',
      'import sys, ssl; ssl.HAS_SSLv3 = ssl.HAS_TLSv1 = ssl.HAS_TLSv1_1 = ssl.HAS_TLSv1_2 = False',
    );
    const { observation, result } = await probe('1.2', 'strict', {}, liar);
    expect(observation.runtime.details['HAS_TLSv1']).toBe(false);
    expect(result.verdict).toBe('downgrade');
    expect(observation.handshakes.find((h) => h.server === 'TLSv1' && h.client === 'strict')).toMatchObject({
      outcome: 'connected',
      version: 'TLSv1',
    });
  });

  it("is a downgrade in default mode at a 1.2 floor when it is Debian's: its default context has no minimum version and completes static RSA at TLS 1.0 and 1.1", async () => {
    // Debian's CPython 3.11 keeps MINIMUM_SUPPORTED in its default context; against
    // openssl s_server -tls1 (and -tls1_1) -cipher kRSA@SECLEVEL=0 it completes the handshake.
    const debian = '/usr/bin/python3';
    const { observation, result } = await probe('1.2', 'default', {}, debian);
    expect(result.verdict).toBe('downgrade');
    for (const v of ['TLSv1', 'TLSv1.1']) {
      expect(observation.handshakes.find((h) => h.server === v && h.client === 'control')?.outcome).toBe('connected');
      const finding = result.findings.find((f) => f.server === v && f.client === 'default');
      expect(finding?.message).toMatch(
        new RegExp(`completed a handshake with the ${v}-only server \\(${v} with .*static RSA\\)`),
      );
      // The server's own record of it: a completed static-RSA handshake at that version.
      const saw = result.handshakes.find((h) => h.server === v && h.client === 'default')?.serverSaw;
      expect(saw).toContainEqual(expect.objectContaining({ completed: true, version: v, family: 'static RSA' }));
    }
  });

  it.each(['default', 'strict', 'both'] as const)(
    'is a downgrade at a 1.3 floor in %s mode: it connects with TLS 1.2',
    async (mode) => {
      const { observation, result } = await probe('1.3', mode);
      expect(result.verdict).toBe('downgrade');
      expect(observation.servers.map((s) => s.id)).toEqual(['modern', 'TLSv1', 'TLSv1.1', 'TLSv1.2']);
      for (const client of decidingClients(mode)) {
        expect(observation.handshakes.find((h) => h.server === 'TLSv1.2' && h.client === client)).toMatchObject({
          outcome: 'connected',
          version: 'TLSv1.2',
        });
      }
    },
  );

  it("is inconclusive, never pass, when the legacy servers are the recipe's (no control handshake completes)", async () => {
    // The library's default ciphers: an OpenSSL 3 server then cannot sign a TLS 1.0/1.1 handshake.
    const { observation, result } = await probe('1.2', 'default', { legacyCiphers: 'DEFAULT' });
    expect(observation.handshakes.filter((h) => h.client === 'control').map((h) => h.outcome)).not.toContain(
      'connected',
    );
    expect(result.verdict).toBe('inconclusive');
    expect(result.summary).toMatch(/control client could not complete/);
  });

  it('reports the interpreter, its TLS library and the loaded libssl', async () => {
    const { observation } = await probe('1.2', 'both');
    const { runtime } = observation;
    expect(runtime.kind).toBe('python');
    expect(runtime.version).toMatch(/^CPython 3\./);
    expect(Object.keys(runtime.details)).toEqual(
      expect.arrayContaining(['HAS_TLSv1', 'HAS_TLSv1_1', 'HAS_TLSv1_2', 'HAS_TLSv1_3', 'sslModule']),
    );
    if (process.platform === 'linux')
      expect(runtime.details['loadedLibraries']).toEqual(expect.arrayContaining([expect.stringMatching(/libssl/)]));
  });
});

describe('interpreters the probe cannot judge', () => {
  it('rejects a Python without ssl, naming python-path', async () => {
    await expect(probe('1.2', 'both', {}, pythonWithoutSsl())).rejects.toThrow(/^python-path: .* has no ssl module/);
  });

  it('rejects a Python older than 3.6, naming python-path', async () => {
    await expect(probe('1.2', 'both', {}, pythonTooOld())).rejects.toThrow(
      /^python-path: .* is Python 3\.5\.9; Python 3\.6 or later is required\./,
    );
  });

  it('rejects something that is no Python at all', async () => {
    await expect(probe('1.2', 'both', {}, '/bin/true')).rejects.toThrow(
      /^python-path: \/bin\/true is not a usable Python/,
    );
  });
});

// Optional negative cases: pyenv's unhardened interpreters, where the machine has them.
const pyenvRoot = process.env['PYENV_ROOT'] ?? `${process.env['HOME']}/.pyenv`;
const pyenvVersions = (() => {
  try {
    return readdirSync(`${pyenvRoot}/versions`).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  } catch {
    return [];
  }
})();

describe.skipIf(!optional('pyenv', `no interpreters in ${pyenvRoot}/versions`, pyenvVersions.length > 0))(
  'pyenv interpreters linked to the stock OpenSSL',
  () => {
    it.each(pyenvVersions)('Python %s', async (version) => {
      const exe = `${pyenvRoot}/versions/${version}/bin/python`;
      const [major, minor] = version.split('.').map(Number) as [number, number];
      if (major < 3 || (major === 3 && minor < 6)) {
        await expect(probe('1.2', 'both', {}, exe)).rejects.toThrow(/Python 3\.6 or later is required/);
        return;
      }
      // Capable of TLS 1.0 (the stock OpenSSL has it), so the strict client connects ...
      const { result } = await probe('1.2', 'strict', {}, exe);
      expect(result.verdict).toBe('downgrade');
      // ... and the default client: 3.10+ refuses (minimum TLS 1.2) and, on 3.13+, verifies the
      // run's certificates under VERIFY_X509_STRICT; 3.6-3.9 have no minimum of their own and
      // complete static RSA at TLS 1.0 (the system's @SECLEVEL refuses only the SHA-1 signatures
      // of the other families), as they do against openssl s_server -tls1 -cipher kRSA@SECLEVEL=0.
      const byDefault = await probe('1.2', 'default', {}, exe);
      const findings = JSON.stringify(byDefault.result.findings);
      if (minor >= 10) {
        expect(byDefault.result.verdict, findings).toBe('pass');
        return;
      }
      expect(byDefault.result.verdict, findings).toBe('downgrade');
      for (const v of ['TLSv1', 'TLSv1.1'])
        expect(byDefault.result.findings).toContainEqual(
          expect.objectContaining({ server: v, client: 'default', message: expect.stringMatching(/static RSA\)$/) }),
        );
    });
  },
);
