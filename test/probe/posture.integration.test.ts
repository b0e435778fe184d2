import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveClient } from '../../src/action/client_choice.js';
import { readInputs } from '../../src/inputs/inputs.js';
import type { PolicyEvaluation } from '../../src/judgement/evaluate.js';
import { judge } from '../../src/judgement/judge.js';
import { serversFor } from '../../src/judgement/observe.js';
import { POLICIES } from '../../src/policies/policies.js';
import { POLICY_IDS, type PolicyId } from '../../src/policies/rules.js';
import type { ProbeClient } from '../../src/probe/clients/client.js';
import { PythonClient } from '../../src/probe/clients/python.js';
import { runProbe } from '../../src/probe/probe.js';
import type { Floor } from '../../src/shared/floor.js';
import { type ClientHelloFacts, clientHelloFacts } from '../../src/shared/tls/client_hello.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const NODE24 = path.resolve('.cache/node24/bin/node');
const ALL = POLICY_IDS.filter((p) => p !== 'floor');

async function clientFor(inputs: Record<string, string>): Promise<ProbeClient> {
  return (await resolveClient(await readInputs((name) => inputs[name] ?? ''))).client;
}

/** The probe and its judgement, as the action runs them (in this process: Node.js 20 serves). */
async function posture(client: ProbeClient, policyIds: readonly PolicyId[], floor: Floor = '1.2') {
  const policies = policyIds.map((id) => POLICIES[id]);
  const observation = await runProbe(client, {
    floor,
    handshakeTimeoutMs: 5000,
    probeTimeoutMs: 50000,
    policyServers: serversFor(policies, floor),
  });
  for (const server of observation.servers) expect(await isClosed(server.port)).toBe(true);
  const { verdict: result, observations, policy: evaluation } = judge(observation, { probeMode: 'both', policies });
  return { observation, result, observations, evaluation };
}

/** A rule's status for one client. */
const status = (e: PolicyEvaluation, rule: string, client: string) =>
  e.results.find((r) => r.rule === rule)?.clients.find((c) => c.client === client)?.status;

/** What a client offered to the modern server, as that server read it. */
function offered(p: Awaited<ReturnType<typeof posture>>, client: string): ClientHelloFacts {
  const o = p.observations.find((x) => x.client === client)!;
  const hello = o.hellos.find((h) => h.server === 'modern')?.hello;
  expect(hello, `${client} sent the modern server a ClientHello`).toBeDefined();
  return clientHelloFacts(hello!);
}

const below12 = (f: ClientHelloFacts) => f.versions.some((v) => v === 'TLSv1' || v === 'TLSv1.1');
const CERT_RULES = ['pci-dss-4.trusted-issuer', 'pci-dss-4.not-expired', 'pci-dss-4.right-host'];

/** Every policy server's control reached it (the hybrid-PQ-only one cannot start on Node.js 20's OpenSSL 3.0). */
function expectControls(p: Awaited<ReturnType<typeof posture>>): void {
  const controls = p.result.handshakes.filter((h) => h.client === 'control');
  expect(controls.map((h) => `${h.server} ${h.outcome}`).sort()).toEqual(
    p.observation.servers
      .filter((s) => s.role !== 'modern')
      .map((s) => `${s.id} connected`)
      .sort(),
  );
  const askedPq = p.evaluation.results.some((r) => r.policy === 'pq-hybrid');
  if (!askedPq) expect(p.observation.unavailable).toEqual([]);
  else if (process.versions.openssl.startsWith('3.0.')) {
    expect(p.observation.unavailable).toEqual([
      { id: 'pq-hybrid-only', reason: expect.stringMatching(/^node 20\.\S+ with OpenSSL 3\.0\.\S+ cannot start it/) },
    ]);
  }
}

describe('policy servers: only those the policies name', () => {
  it("policy floor (the default) starts exactly the floor's servers, and the verdict is the same", async () => {
    const p = await posture(new PythonClient('/usr/bin/python3'), ['floor']);
    expect(p.observation.servers.map((s) => s.id)).toEqual(['modern', 'TLSv1', 'TLSv1.1']);
    expect(p.observation.unavailable).toEqual([]);
    expect(p.result.verdict).toBe('downgrade'); // the strict client completes TLS 1.0 (Debian's 3.11 on OpenSSL 3.0)
    expect(p.evaluation.failed).toEqual(['floor.refuse-below-floor']);
  }, 60_000);

  it('a 1.3 floor: TLSv1.2 is a legacy server, not started twice', async () => {
    const p = await posture(new PythonClient('/usr/bin/python3'), ['rfc9325'], '1.3');
    const ids = p.observation.servers.map((s) => `${s.id}:${s.role}`);
    expect(ids.filter((id) => id.startsWith('TLSv1.2'))).toEqual(['TLSv1.2:legacy']);
    expect(ids).toContain('TLSv1.3:policy');
  }, 60_000);
});

describe("the machine's /usr/bin/python3 (CPython 3.11, OpenSSL 3.0) against every policy server", () => {
  it('offers TLS 1.0/1.1 and static RSA, no NULL; strict also SHA-1 signatures; refuses the bad certificates; no hybrid PQ', async () => {
    const p = await posture(new PythonClient('/usr/bin/python3'), ALL);
    expectControls(p);
    const def = offered(p, 'default');
    const strict = offered(p, 'strict');
    expect(below12(def)).toBe(true);
    expect(def.staticRsa.length).toBeGreaterThan(0);
    expect(def.null).toEqual([]);
    expect(def.sha1Signatures).toEqual([]);
    expect(strict.sha1Signatures.length).toBeGreaterThan(0);
    expect(def.hybridPq).toEqual([]);
    expect(def.serverName).toBe('localhost');
    // Negotiated: static RSA and CBC-SHA1 by both; SHA-1-signed only by strict; NULL by neither.
    const outcome = (client: string, server: string) =>
      p.observations.find((o) => o.client === client)!.servers[server as 'null-only']?.outcome;
    expect(['default', 'strict'].map((c) => outcome(c, 'static-rsa-only'))).toEqual(['connected', 'connected']);
    expect(['default', 'strict'].map((c) => outcome(c, 'null-only'))).toEqual(['refused', 'refused']);
    expect(['default', 'strict'].map((c) => outcome(c, 'sha1-signed'))).toEqual(['refused', 'connected']);
    for (const rule of CERT_RULES) {
      expect([status(p.evaluation, rule, 'default'), status(p.evaluation, rule, 'strict')], rule).toEqual([
        'pass',
        'pass',
      ]);
    }
    expect(status(p.evaluation, 'rfc9325.no-sha1-signatures', 'strict')).toBe('fail');
    expect(status(p.evaluation, 'pq-hybrid.offer-group', 'default')).toBe('fail');
    expect(status(p.evaluation, 'pq-hybrid.negotiate', 'default')).toBe('untestable'); // Node.js 20 cannot serve it
    expect(p.evaluation.results.find((r) => r.rule === 'pq-hybrid.negotiate')!.sentence).toMatch(
      /could not be tested on this runner \(node 20\.\S+ with OpenSSL 3\.0/,
    );
    // urllib3 (where it imports): SNI localhost like the others; Debian's 1.26 checks the host name
    // after the handshake and sends no request: a refusal the server's record shows.
    if (p.observations.some((o) => o.client === 'urllib3')) {
      expect(offered(p, 'urllib3').serverName).toBe('localhost');
      expect(status(p.evaluation, 'pci-dss-4.right-host', 'urllib3')).toBe('pass');
    }
    // fips-140-3: not a FIPS runtime. It completes the ChaCha20-only handshake (TLS 1.3 here) and
    // hashlib.md5() works; with python-path no provider is listed, so the version is untestable.
    expect(['default', 'strict'].map((c) => outcome(c, 'chacha20-only'))).toEqual(['connected', 'connected']);
    expect(status(p.evaluation, 'fips-140-3.refuse-non-approved', 'default')).toBe('fail');
    expect(p.evaluation.results.find((r) => r.rule === 'fips-140-3.fips-mode')!.sentence).toMatch(
      /failed: for the default client, the interpreter is not in FIPS mode: .*hashlib\.md5\(\) works/,
    );
    expect(status(p.evaluation, 'fips-140-3.validated-version', 'default')).toBe('untestable');
  }, 60_000);
});

const PYENV = path.join(homedir(), '.pyenv', 'versions');
const pyenvPythons = existsSync(PYENV)
  ? readdirSync(PYENV)
      .filter((v) => /^3\.(\d+)\./.test(v) && Number(v.split('.')[1]) >= 6)
      .map((v) => path.join(PYENV, v, 'bin', 'python3'))
  : [];

describe.skipIf(pyenvPythons.length === 0)('pyenv interpreters (where present)', () => {
  it.each(pyenvPythons)(
    '%s: verifies certificates in both clients; offers no hybrid PQ group on OpenSSL 3.0',
    async (python) => {
      const p = await posture(new PythonClient(python), ['pci-dss-4', 'pq-hybrid']);
      expectControls(p);
      for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'strict'), rule).toBe('pass');
      for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'default'), rule).toBe('pass');
      const tls = String(p.observation.runtime.tlsLibrary);
      if (/OpenSSL (1\.|3\.[0-4]\.)/.test(tls)) expect(offered(p, 'default').hybridPq).toEqual([]);
      console.log(
        `${python}: ${tls}; default offers ${offered(p, 'default').versions.join(',')}; ` +
          `static RSA ${offered(p, 'default').staticRsa.length}; SHA-1 sigs ${offered(p, 'default').sha1Signatures.length}`,
      );
    },
    60_000,
  );
});

describe('Node.js clients', () => {
  it('Node.js 20 (OpenSSL 3.0): default offers TLS 1.2+ only, static RSA, no NULL; no hybrid PQ group', async () => {
    const p = await posture(await clientFor({ client: 'node', 'client-path': process.execPath }), ALL);
    expectControls(p);
    const def = offered(p, 'default');
    expect(below12(def)).toBe(false);
    expect(below12(offered(p, 'strict'))).toBe(true);
    expect(def.staticRsa.length).toBeGreaterThan(0);
    expect(def.null).toEqual([]);
    expect(def.hybridPq).toEqual([]);
    for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'default'), rule).toBe('pass');
    expect(status(p.evaluation, 'pq-hybrid.offer-group', 'default')).toBe('fail');
    expect(status(p.evaluation, 'rfc9325.no-static-rsa', 'default')).toBe('warn'); // it completes static RSA
  }, 60_000);

  it.skipIf(!existsSync(NODE24))(
    'Node.js 24 (OpenSSL 3.5): offers X25519MLKEM768 with a key share',
    async () => {
      const p = await posture(await clientFor({ client: 'node', 'client-path': NODE24 }), ['pq-hybrid', 'pci-dss-4']);
      const def = offered(p, 'default');
      expect(def.hybridPq).toContain('X25519MLKEM768');
      expect(def.keyShares).toContain('X25519MLKEM768');
      expect(status(p.evaluation, 'pq-hybrid.offer-group', 'default')).toBe('pass');
      expect(status(p.evaluation, 'pq-hybrid.key-share', 'default')).toBe('pass');
      for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'default'), rule).toBe('pass');
    },
    60_000,
  );
});

describe("curl and commands: the same servers' records judge them", () => {
  it("curl (Debian's, OpenSSL 3.0): refuses the bad certificates (the host name after the handshake), offers TLS 1.0/1.1", async () => {
    const p = await posture(await clientFor({ client: 'curl' }), ['pci-dss-4', 'rfc9325']);
    expectControls(p);
    for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'default'), rule).toBe('pass');
    expect(offered(p, 'default').null).toEqual([]);
    expect(below12(offered(p, 'default'))).toBe(true);
    // The host name: curl completes the handshake, checks it, and leaves without a request.
    expect(p.observations[0]!.servers['cert-wrong-host']).toMatchObject({
      outcome: 'refused',
      detail: expect.stringMatching(/^after the handshake, without a request: exit 60/),
    });
  }, 60_000);

  it('openssl s_client (OpenSSL 3.0): refuses the bad certificates; every policy server is judged, none untestable', async () => {
    const p = await posture(await clientFor({ client: 'openssl' }), ['pci-dss-4', 'rfc9325', 'mozilla-intermediate']);
    expectControls(p);
    for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'default'), rule).toBe('pass');
    expect(p.evaluation.untestable).toEqual([]);
    expect(offered(p, 'default').hybridPq).toEqual([]);
  }, 60_000);

  it('curl -k (a command that skips verification) fails every certificate rule', async () => {
    const p = await posture(await clientFor({ client: 'command', 'client-command': 'curl -k -s -o /dev/null {url}' }), [
      'pci-dss-4',
    ]);
    expectControls(p);
    for (const rule of CERT_RULES) expect(status(p.evaluation, rule, 'command'), rule).toBe('fail');
    expect(p.evaluation.failed).toEqual(expect.arrayContaining(CERT_RULES));
    expect(p.evaluation.results.find((r) => r.rule === 'pci-dss-4.not-expired')!.sentence).toMatch(
      /^pci-dss-4\.not-expired \(PCI DSS v4\.0 Req\. 4\.2\.1, MUST: .*\) failed: the command client completed a handshake with the server with an expired certificate/,
    );
  }, 60_000);
});
