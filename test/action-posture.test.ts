import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POLICY_IDS } from '../src/policies/rules.js';
import { runAction } from './fixtures/action.js';
import { childProcesses } from './fixtures/processes.js';

/**
 * The policies through the bundle, as Actions runs it: Node.js 24 serves (OpenSSL 3.5), so the
 * hybrid-post-quantum-only server starts here, unlike in the tests that run the probe in Node.js 20.
 */

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const NODE24 = path.resolve('.cache/node24/bin/node');
const report = (run: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));

describe('dist/index.js with the policy input', () => {
  it("policy floor (the default): exactly the floor's servers, no policy output, the verdict as before", async () => {
    const run = await runAction({ 'python-path': '/usr/bin/python3', 'probe-mode': 'default' });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('pass');
    expect(run.outputs['policy-failures']).toBe('');
    expect(run.outputs['policy-warnings']).toBe('');
    const r = report(run);
    expect(r.servers.map((s: { id: string }) => s.id)).toEqual(['modern', 'TLSv1', 'TLSv1.1']);
    expect(r.policy.policies).toEqual(['floor']);
    expect(Object.keys(r.clientHelloFacts)).toEqual(expect.arrayContaining(['default', 'strict']));
    expect(run.summary).toMatch(/#### Policies: `floor` \(no MUST rule failed\)/);
    expect(run.summary).toMatch(/^- default: TLSv1\.3, TLSv1\.2.* · hybrid PQ none/m);
  });
});

describe('dist/index.js: the hybrid post-quantum policy (servers on Node.js 24, OpenSSL 3.5)', () => {
  it.skipIf(!existsSync(NODE24))('client node, Node.js 24: offers and negotiates X25519MLKEM768: pass', async () => {
    const run = await runAction({
      client: 'node',
      'client-path': NODE24,
      'probe-mode': 'default',
      policy: 'pq-hybrid',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('pass');
    expect(run.outputs['policy-failures']).toBe('');
    const r = report(run);
    expect(r.unavailable).toEqual([]);
    const pq = r.handshakes.find(
      (h: { server: string; client: string }) => h.server === 'pq-hybrid-only' && h.client === 'default',
    );
    expect(pq).toMatchObject({ outcome: 'connected', version: 'TLSv1.3', agreement: 'confirmed' });
    expect(r.clientHelloFacts.default[0].facts.hybridPq).toContain('X25519MLKEM768');
    expect(run.summary).toMatch(
      /\| `pq-hybrid\.negotiate` \| MUST \| draft-ietf-tls-ecdhe-mlkem .* \| ✅ pass \| ✅ pass \|/,
    );
  });

  it('client node, Node.js 20 (OpenSSL 3.0): no hybrid group offered, the PQ-only server refused: the job fails naming the rules', async () => {
    const run = await runAction({
      client: 'node',
      'client-path': process.execPath,
      'probe-mode': 'default',
      policy: 'pq-hybrid',
    });
    expect(run.code).not.toBe(0);
    expect(run.outputs['verdict']).toBe('pass'); // the version floor holds
    expect(run.outputs['policy-failures']).toBe('pq-hybrid.offer-group,pq-hybrid.negotiate');
    expect(run.outputs['policy-warnings']).toBe('pq-hybrid.key-share');
    expect(run.stdout).toMatch(
      /^::error::tls-floor: policy failed \(pq-hybrid\.offer-group, pq-hybrid\.negotiate\): pq-hybrid\.offer-group \(draft-ietf-tls-ecdhe-mlkem .*, MUST: offer a hybrid ML-KEM group in supported_groups\) failed: the default client offered no hybrid ML-KEM group/m,
    );
    expect(run.stdout).toMatch(
      /pq-hybrid\.negotiate \(.*\) failed: the default client could not complete a handshake with the hybrid-post-quantum-only server/,
    );
    expect(run.stdout).toMatch(/^::warning::tls-floor policy: pq-hybrid\.key-share /m);
  });

  it('python-path /usr/bin/python3 (OpenSSL 3.0): fails pq-hybrid', async () => {
    const run = await runAction({ 'python-path': '/usr/bin/python3', 'probe-mode': 'default', policy: 'pq-hybrid' });
    expect(run.code).not.toBe(0);
    expect(run.outputs['policy-failures']).toBe('pq-hybrid.offer-group,pq-hybrid.negotiate');
  });
});

describe("dist/index.js: every client kind judged by the same servers' records", () => {
  it('client command curl -k (skips verification): fails every certificate rule of pci-dss-4', async () => {
    const run = await runAction({
      client: 'command',
      'client-command': 'curl -k -s -o /dev/null {url}',
      policy: 'pci-dss-4',
    });
    expect(run.code).not.toBe(0);
    expect(run.outputs['policy-failures']!.split(',')).toEqual(
      expect.arrayContaining(['pci-dss-4.trusted-issuer', 'pci-dss-4.not-expired', 'pci-dss-4.right-host']),
    );
    expect(run.summary).toMatch(
      /\| `pci-dss-4\.not-expired` \| MUST \| PCI DSS v4\.0 Req\. 4\.2\.1 \| ❌ fail \| ❌ fail \|/,
    );
  });

  it('client curl: refuses the bad certificates', async () => {
    const run = await runAction({ client: 'curl', 'probe-mode': 'default', policy: 'pci-dss-4' });
    const failed = run.outputs['policy-failures']!.split(',');
    for (const rule of ['pci-dss-4.trusted-issuer', 'pci-dss-4.not-expired', 'pci-dss-4.right-host'])
      expect(failed).not.toContain(rule);
    expect(report(run).policy.results.filter((r: { status: string }) => r.status === 'untestable')).toEqual([]);
  });

  it("every policy at once (python3): every server started, its control reached, the summary's table", async () => {
    const all = POLICY_IDS.filter((p) => p !== 'floor').join(',');
    const run = await runAction({ 'python-path': '/usr/bin/python3', policy: all });
    const r = report(run);
    expect(r.servers).toHaveLength(14); // modern, TLSv1, TLSv1.1 and the 11 policy servers
    expect(r.unavailable).toEqual([]);
    const controls = r.handshakes.filter((h: { client: string }) => h.client === 'control');
    expect(controls.map((h: { outcome: string }) => h.outcome)).toEqual(Array(13).fill('connected'));
    expect(run.summary).toMatch(
      /#### Policies: `rfc9325`, `nist-800-52r2`, `mozilla-intermediate`, `mozilla-modern`, `pq-hybrid`, `pci-dss-4` \(\d+ MUST rules failed\)/,
    );
    expect(run.outputs['policy-failures']).toMatch(/pq-hybrid\.offer-group/);
  });
});

describe('dist/index.js: the floor policy follows fail-on-downgrade, as before', () => {
  it('a downgrade with fail-on-downgrade false: the job goes on; policy-failures names the floor rule', async () => {
    const run = await runAction({
      'python-path': '/usr/bin/python3',
      'probe-mode': 'strict',
      'fail-on-downgrade': 'false',
    });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('downgrade');
    expect(run.outputs['policy-failures']).toBe('floor.refuse-below-floor');
  });

  it.each([
    [
      'an unknown policy',
      'rfc9325, pci-dss-5',
      /^::error::policy: 'pci-dss-5' is not one of floor, rfc9325, nist-800-52r2, mozilla-intermediate, mozilla-modern, pq-hybrid, pci-dss-4$/m,
    ],
  ])('fails on %s with one line naming the input and the allowed values', async (_name, policy, message) => {
    const run = await runAction({ 'python-path': '/usr/bin/python3', policy });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(message);
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(run.outputs['verdict']).toBeUndefined();
  });
});
