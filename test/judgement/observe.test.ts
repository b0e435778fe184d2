import { describe, expect, it } from 'vitest';
import { judge } from '../../src/judgement/judge.js';
import { serversFor } from '../../src/judgement/observe.js';
import { runOutcome } from '../../src/judgement/outcome.js';
import { POLICIES } from '../../src/policies/policies.js';
import type { Policy } from '../../src/policies/rules.js';
import type { Handshake, ProbeServer, ServerRecord } from '../../src/probe/handshake.js';
import type { ProbeObservation } from '../../src/probe/probe.js';

/**
 * The adapter from the probe to the policies, and the verdict beside them: pure functions on
 * both sides of each handshake (what the client said, the server's record of its connection).
 */

const servers: ProbeServer[] = [
  { id: 'modern', role: 'modern', versions: ['TLSv1.2', 'TLSv1.3'], port: 1 },
  { id: 'TLSv1', role: 'legacy', versions: ['TLSv1'], port: 2 },
  { id: 'TLSv1.1', role: 'legacy', versions: ['TLSv1.1'], port: 3 },
  { id: 'null-only', role: 'policy', versions: ['TLSv1.2'], port: 4, expect: 'refuse' },
  { id: 'cert-wrong-host', role: 'policy', versions: ['TLSv1.2', 'TLSv1.3'], port: 5, expect: 'refuse' },
  { id: 'TLSv1.3', role: 'policy', versions: ['TLSv1.3'], port: 6, expect: 'connect' },
];

let port = 50000;
const completed = (server: string, version = 'TLSv1.2', requested = true): [Handshake, ServerRecord] => {
  const p = port++;
  return [
    { server, client: 'command', outcome: 'connected', version, ports: [p] },
    { server, port: p, bytesIn: 400, hello: true, completed: true, version, cipher: 'C', requested },
  ];
};
const refused = (server: string, code = 'ERR_SSL_NO_SHARED_CIPHER'): [Handshake, ServerRecord] => {
  const p = port++;
  return [
    { server, client: 'command', outcome: 'refused', reason: 'SSLV3_ALERT_HANDSHAKE_FAILURE', ports: [p] },
    { server, port: p, bytesIn: 300, hello: true, completed: false, code },
  ];
};
const control = (server: string, ok = true): [Handshake, ServerRecord] => {
  const [h, r] = ok ? completed(server) : refused(server);
  return [{ ...h, client: 'control' }, r];
};

/** The judgement of a probe of one command client that saw these handshakes, as the action makes it. */
function judged(pairs: [Handshake, ServerRecord][], policies: Policy[] = []) {
  const observation: ProbeObservation = {
    floor: '1.2',
    servers,
    runtime: { kind: 'command', path: '/bin/true', version: 'test', tlsLibrary: 'test', details: {} },
    clients: [{ name: 'command', settings: {}, ran: true }],
    handshakes: pairs.map(([h]) => h),
    serverRecords: pairs.map(([, r]) => r),
    unavailable: [],
    durationMs: 0,
  };
  const judgement = judge(observation, { probeMode: 'both', policies });
  expect(judgement.deciders).toEqual(['command']);
  return { result: judgement.verdict, observation: judgement.observations[0]!, evaluation: judgement.policy };
}

const floorOk = () => [
  completed('modern', 'TLSv1.3'),
  control('TLSv1'),
  refused('TLSv1'),
  control('TLSv1.1'),
  refused('TLSv1.1'),
];

describe('the verdict ignores policy servers; the adapter reads them', () => {
  it('a client completing the NULL-only server: the version verdict stays pass, the policy sees connected', () => {
    const { result, observation } = judged([
      ...floorOk(),
      control('null-only'),
      completed('null-only'),
      control('cert-wrong-host'),
      refused('cert-wrong-host', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'),
      control('TLSv1.3'),
      completed('TLSv1.3', 'TLSv1.3'),
    ]);
    expect(result.verdict).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(observation.servers['null-only']).toEqual({ outcome: 'connected', detail: 'TLSv1.2 with C' });
    expect(observation.servers['cert-wrong-host']).toMatchObject({ outcome: 'refused' });
    expect(observation.servers['TLSv1.3']).toMatchObject({ outcome: 'connected' });
    expect(observation.servers['TLSv1']).toMatchObject({ outcome: 'refused' });
  });

  it('a control that fails makes its server untestable, never a pass', () => {
    const { observation, evaluation: e } = judged(
      [...floorOk(), control('null-only', false), refused('null-only')],
      [POLICIES.rfc9325],
    );
    expect(observation.servers['null-only']).toMatchObject({
      outcome: 'untestable',
      detail: expect.stringMatching(/^its control could not/),
    });
    expect(e.results.find((r) => r.rule === 'rfc9325.no-null')!.status).toBe('untestable');
  });

  it('a refusal the server has no record of is untestable; a handshake completed without a request is refused only if the client reported a failure', () => {
    const [claimed] = refused('cert-wrong-host');
    const [silentHs, silentRec] = completed('cert-wrong-host', 'TLSv1.3', false);
    const failedAfter: [Handshake, ServerRecord] = [
      { ...silentHs, error: 'exit 60 after the handshake: no alternative name' },
      silentRec,
    ];
    expect(
      judged([...floorOk(), control('cert-wrong-host'), [claimed, { ...silentRec, port: 1 }]]).observation.servers[
        'cert-wrong-host'
      ],
    ).toMatchObject({ outcome: 'untestable' });
    expect(
      judged([...floorOk(), control('cert-wrong-host'), failedAfter]).observation.servers['cert-wrong-host'],
    ).toMatchObject({
      outcome: 'refused',
      detail: expect.stringMatching(/^after the handshake, without a request: exit 60/),
    });
    // An accepted certificate with nothing to say (a raw TLS client) stays connected.
    expect(
      judged([...floorOk(), control('cert-wrong-host'), completed('cert-wrong-host', 'TLSv1.3', false)]).observation
        .servers['cert-wrong-host'],
    ).toMatchObject({ outcome: 'connected' });
  });

  it('a refusal after the ServerHello refuses what the server serves only where that comes after it (issue 27)', () => {
    const afterHello = (server: string): [Handshake, ServerRecord] => {
      const [h, r] = refused(server, 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR');
      return [h, { ...r, serverHello: 'TLSv1.2' }];
    };
    const legacyAfter = (): [Handshake, ServerRecord] => {
      const [h, r] = refused('TLSv1', 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR');
      return [h, { ...r, serverHello: 'TLSv1' }];
    };
    const { observation, evaluation, result } = judged(
      [
        completed('modern', 'TLSv1.3'),
        control('TLSv1'),
        legacyAfter(),
        control('TLSv1.1'),
        refused('TLSv1.1', 'ERR_SSL_UNSUPPORTED_PROTOCOL'),
        control('null-only'),
        afterHello('null-only'),
        control('cert-wrong-host'),
        afterHello('cert-wrong-host'),
      ],
      [POLICIES.floor, POLICIES.rfc9325],
    );
    // A version and suites are refused in the offer: past the ServerHello, the client had accepted them.
    expect(observation.servers['TLSv1']).toMatchObject({
      outcome: 'untestable',
      detail: expect.stringMatching(/accepted its TLSv1 ServerHello, then failed/),
    });
    expect(observation.servers['TLSv1.1']).toMatchObject({
      outcome: 'refused',
      detail: expect.stringMatching(/before its ServerHello$/),
    });
    expect(observation.servers['null-only']).toMatchObject({ outcome: 'untestable' });
    // A certificate is refused after the ServerHello, where it comes.
    expect(observation.servers['cert-wrong-host']).toMatchObject({ outcome: 'refused' });
    expect(result.verdict).toBe('inconclusive');
    const below = evaluation.results.find((r) => r.rule === 'floor.refuse-below-floor');
    expect(below?.status).toBe('untestable');
  });

  it('a handshake completed with a server refused by the offer is a connection, whatever the client said after', () => {
    const [silentHs, silentRec] = completed('null-only', 'TLSv1.2', false);
    const failedAfter: [Handshake, ServerRecord] = [{ ...silentHs, error: 'exit 35 after the handshake' }, silentRec];
    expect(judged([...floorOk(), control('null-only'), failedAfter]).observation.servers['null-only']).toMatchObject({
      outcome: 'connected',
    });
  });

  it("ClientHellos come from the servers' records of the client's own connections only", () => {
    const hello = { serverName: 'localhost' } as unknown as NonNullable<ServerRecord['clientHello']>;
    const [h, r] = completed('modern', 'TLSv1.3');
    const [ch, cr] = control('TLSv1');
    const { observation } = judged([
      [h, { ...r, clientHello: hello }],
      [ch, { ...cr, clientHello: hello }],
      refused('TLSv1'),
      control('TLSv1.1'),
      refused('TLSv1.1'),
    ]);
    expect(observation.hellos).toEqual([{ server: 'modern', hello }]);
  });
});

describe('the clients observed (issue 17, item 9)', () => {
  it('every client that ran is observed, each marked whether it decides and whether it is the capability client', () => {
    const pairs = floorOk();
    const observation: ProbeObservation = {
      floor: '1.2',
      servers,
      runtime: { kind: 'python', path: '/bin/true', version: 'test', tlsLibrary: 'test', details: {} },
      clients: [
        { name: 'default', settings: {}, ran: true, mode: 'default' },
        { name: 'strict', settings: {}, ran: true, mode: 'strict' },
        { name: 'urllib3', settings: {}, ran: false, mode: 'default', optional: true, skipped: 'no urllib3' },
      ],
      handshakes: pairs.map(([h]) => h),
      serverRecords: pairs.map(([, r]) => r),
      unavailable: [],
      durationMs: 0,
    };
    const { deciders, observations } = judge(observation, { probeMode: 'default', policies: [] });
    expect(deciders).toEqual(['default']);
    expect(observations.map(({ client, decides, capability }) => ({ client, decides, capability }))).toEqual([
      { client: 'default', decides: true, capability: undefined },
      { client: 'strict', decides: false, capability: true },
    ]);
  });
});

describe('serversFor and runOutcome', () => {
  it("floor names only the floor's servers; the others add theirs", () => {
    expect(serversFor([POLICIES.floor], '1.2')).toEqual(['modern', 'TLSv1', 'TLSv1.1']);
    expect(serversFor([POLICIES.floor], '1.3')).toEqual(['modern', 'TLSv1', 'TLSv1.1', 'TLSv1.2']);
    expect(serversFor([POLICIES['pq-hybrid']], '1.2')).toEqual(['pq-hybrid-only']);
  });

  it("the floor policy's failures do not fail the job on their own (the verdict and fail-on-downgrade do)", () => {
    const { evaluation: e } = judged(
      [
        completed('modern', 'TLSv1.3'),
        control('TLSv1'),
        completed('TLSv1', 'TLSv1'),
        control('TLSv1.1'),
        refused('TLSv1.1'),
      ],
      [POLICIES.floor, POLICIES['pci-dss-4']],
    );
    expect(e.failed).toEqual(['floor.refuse-below-floor', 'pci-dss-4.no-insecure-versions']);
    expect(runOutcome({ verdict: 'pass', findings: [], policy: e }).policyFailures).toEqual([
      'pci-dss-4.no-insecure-versions',
    ]);
  });
});
