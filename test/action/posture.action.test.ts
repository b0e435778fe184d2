import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POLICY_IDS } from '../../src/policies/rules.js';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';

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
    // Node.js's default client (minimum TLS 1.2) passes; Debian's /usr/bin/python3 default context
    // has no minimum version and completes static RSA at TLS 1.0 (issue 27).
    const run = await runAction({ client: 'node', 'client-path': process.execPath, 'probe-mode': 'default' });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('pass');
    expect(run.outputs['policy-failures']).toBe('');
    expect(run.outputs['policy-warnings']).toBe('');
    const r = report(run);
    expect(r.servers.map((s: { id: string }) => s.id)).toEqual(['modern', 'TLSv1', 'TLSv1.1']);
    expect(r.policy.policies).toEqual(['floor']);
    expect(Object.keys(r.clientHelloFacts)).toEqual(expect.arrayContaining(['default', 'strict']));
    expect(run.summary).toMatch(/^\*\*Policy rules: ✅ 2 passed\*\*$/m);
    expect(run.summary).toMatch(/ · policies `floor`$/m);
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
      /\| `pq-hybrid\.negotiate` \| MUST \| draft-ietf-tls-ecdhe-mlkem .* \| ✅ default(, strict \(info: \w+\))? \|/,
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
      /^::error::tls-floor policy: pq-hybrid\.offer-group \(draft-ietf-tls-ecdhe-mlkem .*, MUST: offer a hybrid ML-KEM group in supported_groups\) failed: the default client offered no hybrid ML-KEM group/m,
    );
    expect(run.stdout).toMatch(
      /^::error::tls-floor policy: pq-hybrid\.negotiate \(.*\) failed: the default client could not complete a handshake with the hybrid-post-quantum-only server/m,
    );
    expect(run.stdout).toMatch(/^::warning::tls-floor policy: pq-hybrid\.key-share /m);
    // Each rule's sentence is printed once (its error or warning); the failure line names the rules.
    expect(run.stdout).toMatch(
      /^::error::tls-floor: policy failed: pq-hybrid\.offer-group, pq-hybrid\.negotiate \(each rule's error above says why\)$/m,
    );
    for (const r of report(run).policy.results.filter((x: { status: string }) => x.status !== 'pass'))
      expect(run.stdout.split(r.sentence).length - 1, r.rule).toBe(1);
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
      /^- ❌ \*\*`pci-dss-4\.not-expired`\*\* \(PCI DSS v4\.0 Req\. 4\.2\.1, MUST: .*\) failed: the command client /m,
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
    expect(r.servers).toHaveLength(15); // modern, TLSv1, TLSv1.1 and the 12 policy servers (chacha20-only: fips-140-3)
    expect(r.unavailable).toEqual([]);
    const controls = r.handshakes.filter((h: { client: string }) => h.client === 'control');
    expect(controls.map((h: { outcome: string }) => h.outcome)).toEqual(Array(14).fill('connected'));
    expect(run.summary).toMatch(
      / · policies `rfc9325`, `nist-800-52r2`, `mozilla-intermediate`, `mozilla-modern`, `pq-hybrid`, `pci-dss-4`, `fips-140-3`\n\n.*\n\n- ❌ \*\*downgrade\*\*/,
    );
    expect(run.outputs['policy-failures']).toMatch(/pq-hybrid\.offer-group/);
  });
});

// A correct command client: curl verifying the run's CA, no proxy in the way (none is set here;
// empty variables make sure of it wherever the suite runs).
const NO_PROXY_ENV = { http_proxy: '', https_proxy: '', HTTPS_PROXY: '', all_proxy: '', ALL_PROXY: '' };
type Result = { rule: string; status: string; clients: { client: string; status: string; judged: boolean }[] };
const statuses = (run: { outputs: Record<string, string> }) =>
  Object.fromEntries(report(run).policy.results.map((r: Result) => [r.rule, r.status]));

describe('dist/index.js: policies true for correct clients (issue 17, items 6-8)', () => {
  // curl's defaults complete static RSA at TLS 1.0 and 1.1 (issue 27): --tlsv1.2 is the correct client.
  it('client command `curl -s -o /dev/null --tlsv1.2 --cacert {ca} {url}`: {url} names localhost, curl sends SNI and passes rfc9325', async () => {
    const run = await runAction(
      { client: 'command', 'client-command': 'curl -s -o /dev/null --tlsv1.2 --cacert {ca} {url}', policy: 'rfc9325' },
      NO_PROXY_ENV,
    );
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'policy-failures': '' });
    expect(statuses(run)['rfc9325.sni']).toBe('pass');
    const r = report(run);
    expect(r.clientHelloFacts.command.map((x: { facts: { serverName?: string } }) => x.facts.serverName)).toEqual(
      r.clientHelloFacts.command.map(() => 'localhost'),
    );
    const must = r.policy.results.filter((x: Result & { level: string }) => x.level === 'MUST');
    expect(must.filter((x: Result) => x.status !== 'pass').map((x: Result) => x.rule)).toEqual([]);
  });

  it('min-tls-version 1.3, `curl --tlsv1.3`: the TLS 1.2 rules and renegotiation_info are not applicable, nothing fails', async () => {
    const run = await runAction(
      {
        client: 'command',
        'client-command': 'curl -s -o /dev/null --tlsv1.3 --cacert {ca} {url}',
        'min-tls-version': '1.3',
        policy: 'rfc9325, nist-800-52r2',
      },
      NO_PROXY_ENV,
    );
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'policy-failures': '' });
    const s = statuses(run);
    for (const rule of [
      'rfc9325.tls12',
      'nist-800-52r2.tls12',
      'rfc9325.renegotiation-info',
      'nist-800-52r2.renegotiation-info',
    ])
      expect(s[rule], rule).toBe('not-applicable');
    expect(Object.entries(s).filter(([, v]) => v === 'fail')).toEqual([]);
    expect(report(run).policy.notApplicable).toEqual(expect.arrayContaining(['rfc9325.tls12', 'nist-800-52r2.tls12']));
    expect(run.summary).toMatch(
      /<summary>Not applicable \(\d+\)<\/summary>[\s\S]*\| `rfc9325\.tls12` \| MUST \| RFC 9325 §3\.1\.1 \| ⚪ /,
    );
    expect(run.stdout).toMatch(
      /^policies rfc9325, nist-800-52r2: \d+ pass, 0 fail, \d+ warn, 0 untestable, [1-9]\d* not applicable$/m,
    );
  });
});

describe.skipIf(!existsSync(NODE24))(
  'dist/index.js: a TLS 1.3-only client on OpenSSL 3.5 (Node.js 24), issue 17 item 8',
  () => {
    // Node.js 24's https.get at minVersion TLSv1.3: OpenSSL 3.5 then sends neither renegotiation_info
    // nor the SCSV, since renegotiation does not exist in TLS 1.3.
    const script =
      "require('https').get(process.argv[1], { ca: require('fs').readFileSync(process.argv[2]), minVersion: 'TLSv1.3' }, " +
      "(r) => r.resume().on('end', () => process.exit(0))).on('error', () => process.exit(1))";

    it('min-tls-version 1.3: renegotiation_info is not applicable for it, and rfc9325 passes', async () => {
      const run = await runAction(
        {
          client: 'command',
          'client-command': `${NODE24} -e "${script}" {url} {ca}`,
          'min-tls-version': '1.3',
          policy: 'rfc9325',
        },
        NO_PROXY_ENV,
      );
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({ verdict: 'pass', 'policy-failures': '' });
      const facts = report(run).clientHelloFacts.command.map(
        (x: { facts: { versions: string[] } }) => x.facts.versions,
      );
      expect(facts).toEqual(facts.map(() => ['TLSv1.3']));
      const s = statuses(run);
      expect(s['rfc9325.renegotiation-info']).toBe('not-applicable');
      expect(s['rfc9325.tls12']).toBe('not-applicable');
      expect(s['rfc9325.sni']).toBe('pass');
    });
  },
);

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
      /^::error::policy: 'pci-dss-5' is not one of floor, rfc9325, nist-800-52r2, mozilla-intermediate, mozilla-modern, pq-hybrid, pci-dss-4, fips-140-3$/m,
    ],
  ])('fails on %s with one line naming the input and the allowed values', async (_name, policy, message) => {
    const run = await runAction({ 'python-path': '/usr/bin/python3', policy });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(message);
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(run.outputs['verdict']).toBeUndefined();
  });
});
