import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corroborate } from '../../src/judgement/corroboration.js';
import { runOutcome } from '../../src/judgement/outcome.js';
import {
  decideVerdict,
  type Finding,
  findingKinds,
  type Verdict,
  type VerdictInput,
} from '../../src/judgement/verdict.js';
import type { Handshake, Outcome, ProbeServer, ServerRecord } from '../../src/probe/handshake.js';
import type { Floor } from '../../src/shared/floor.js';

const servers12: ProbeServer[] = [
  { id: 'modern', role: 'modern', versions: ['TLSv1.2', 'TLSv1.3'], port: 1 },
  { id: 'TLSv1', role: 'legacy', versions: ['TLSv1'], port: 2 },
  { id: 'TLSv1.1', role: 'legacy', versions: ['TLSv1.1'], port: 3 },
];

let nextPort = 40000;
function hs(server: string, client: string, outcome: Outcome, version?: string): Handshake {
  return { server, client, outcome, ...(version ? { version } : {}), ports: [nextPort++] };
}

/** What the server saw of one connection. */
type Saw = 'completed' | 'refused' | 'after-hello' | 'certificate' | 'reset' | 'nothing-sent' | 'not-tls' | 'open';
function record(server: string, port: number, saw: Saw, version?: string): ServerRecord {
  const side = { server, port, bytesIn: 300, hello: true, completed: false };
  switch (saw) {
    case 'completed':
      return { ...side, completed: true, version: version ?? 'TLSv1.3', cipher: 'C' };
    case 'refused':
      return { ...side, code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' };
    // The server had sent its ServerHello: the client failed after accepting the version.
    case 'after-hello':
      return { ...side, code: 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', serverHello: version ?? 'TLSv1' };
    case 'certificate':
      return { ...side, code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' };
    case 'reset':
      return { ...side, code: 'ECONNRESET' };
    case 'nothing-sent':
      return { ...side, bytesIn: 0, hello: false, code: 'ECONNRESET' };
    case 'not-tls':
      return { ...side, bytesIn: 18, hello: false, code: 'ERR_SSL_HTTP_REQUEST' };
    case 'open':
      return side;
  }
}

/** The records an honest client's handshakes leave on the servers (error: it never connected). */
function honest(handshakes: Handshake[]): ServerRecord[] {
  const saw: Record<Outcome, Saw | undefined> = {
    connected: 'completed',
    refused: 'refused',
    certificate: 'certificate',
    network: 'reset',
    timeout: 'open',
    error: undefined,
  };
  return handshakes.flatMap((h) => {
    const s = saw[h.outcome];
    return s ? [record(h.server, h.ports![0]!, s, h.version)] : [];
  });
}

/** A clean run: controls reach every legacy server, clients connect with 1.3 and are refused. */
function cleanRun(clients = ['default', 'strict']): Handshake[] {
  return [
    hs('TLSv1', 'control', 'connected', 'TLSv1'),
    hs('TLSv1.1', 'control', 'connected', 'TLSv1.1'),
    ...clients.flatMap((c) => [
      hs('modern', c, 'connected', 'TLSv1.3'),
      hs('TLSv1', c, 'refused'),
      hs('TLSv1.1', c, 'refused'),
    ]),
  ];
}

function replace(list: Handshake[], next: Handshake): Handshake[] {
  return list.map((h) => (h.server === next.server && h.client === next.client ? next : h));
}

function decide(
  handshakes: Handshake[],
  deciders = ['default', 'strict'],
  floor: Floor = '1.2',
  records = honest(handshakes),
) {
  return decideVerdict({ floor, servers: servers12, deciders, handshakes, serverRecords: records });
}

describe('decideVerdict, the servers agreeing with every client', () => {
  it('passes a clean run and names what phase 1 negotiated', () => {
    const r = decide(cleanRun());
    expect(r.verdict).toBe('pass');
    expect(r.negotiatedVersion).toBe('TLSv1.3');
    expect(r.findings).toEqual([]);
    expect(r.handshakes.every((h) => h.agreement === 'confirmed')).toBe(true);
  });

  // Every single-cell change from the clean run, for every outcome: the verdict is what
  // the rules say, and never 'pass' unless the changed cell is still a refusal/connection.
  const outcomes: Outcome[] = ['connected', 'refused', 'certificate', 'network', 'timeout', 'error'];
  const expectations: Array<[string, string, Outcome, Verdict]> = [];
  for (const client of ['default', 'strict']) {
    for (const outcome of outcomes) {
      expectations.push(['modern', client, outcome, outcome === 'connected' ? 'pass' : 'broken']);
      for (const legacy of ['TLSv1', 'TLSv1.1']) {
        expectations.push([
          legacy,
          client,
          outcome,
          outcome === 'connected' ? 'downgrade' : outcome === 'refused' ? 'pass' : 'inconclusive',
        ]);
      }
    }
  }
  for (const legacy of ['TLSv1', 'TLSv1.1']) {
    for (const outcome of outcomes) {
      expectations.push([legacy, 'control', outcome, outcome === 'connected' ? 'pass' : 'inconclusive']);
    }
  }
  it.each(expectations)('%s × %s = %s gives %s', (server, client, outcome, verdict) => {
    const version = outcome === 'connected' ? (server === 'modern' ? 'TLSv1.3' : server) : undefined;
    expect(decide(replace(cleanRun(), hs(server, client, outcome, version))).verdict).toBe(verdict);
  });

  it('a missing control handshake is inconclusive, never pass', () => {
    const r = decide(cleanRun().filter((h) => !(h.client === 'control' && h.server === 'TLSv1')));
    expect(r.verdict).toBe('inconclusive');
    expect(r.summary).toMatch(/control client could not complete a TLSv1 handshake/);
  });

  it('a modern handshake below the floor is broken', () => {
    const r = decide(replace(cleanRun(), hs('modern', 'default', 'connected', 'TLSv1.2')), undefined, '1.3');
    expect(r.verdict).toBe('broken');
    expect(r.summary).toMatch(/below the TLSv1.3 floor/);
  });

  it('only deciding clients decide', () => {
    const run = replace(cleanRun(), hs('TLSv1', 'strict', 'connected', 'TLSv1'));
    expect(decide(run, ['default']).verdict).toBe('pass');
    expect(decide(run, ['strict']).verdict).toBe('downgrade');
    expect(decide(run, ['default', 'strict']).verdict).toBe('downgrade');
  });

  it('downgrade outranks broken, broken outranks inconclusive; every finding is kept', () => {
    let run = replace(cleanRun(), hs('modern', 'default', 'network'));
    run = replace(run, hs('TLSv1', 'control', 'timeout'));
    expect(decide(run).verdict).toBe('broken');
    run = replace(run, hs('TLSv1.1', 'strict', 'connected', 'TLSv1.1'));
    const r = decide(run);
    expect(r.verdict).toBe('downgrade');
    expect(r.findings.map((f) => f.verdict).sort()).toEqual(['broken', 'downgrade', 'inconclusive']);
    expect(findingKinds(r.findings)).toEqual(['downgrade', 'broken', 'inconclusive']);
  });

  it('a deciding client absent from the run is inconclusive, not pass', () => {
    const r = decide(cleanRun(['default']), ['default', 'strict']);
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings.filter((f) => f.client === 'strict')).toHaveLength(3);
  });

  it('no deciding client at all is inconclusive, not pass', () => {
    const r = decide(cleanRun([]), []);
    expect(r.verdict).toBe('inconclusive');
    expect(r.summary).toMatch(/^No client of the runtime decided/);
  });

  it('deciding clients that reported no handshakes at all are inconclusive', () => {
    const controls = cleanRun([]);
    expect(decide(controls, ['default', 'strict']).verdict).toBe('inconclusive');
  });
});

describe('corroboration: what the client said against what the server saw', () => {
  const said: Outcome[] = ['connected', 'refused', 'certificate', 'network', 'timeout', 'error'];
  const saw: Array<Saw | 'no record'> = [
    'no record',
    'completed',
    'refused',
    'after-hello',
    'certificate',
    'reset',
    'nothing-sent',
    'not-tls',
    'open',
  ];

  /** The verdict the rules give one deciding cell (the rest of the run clean). */
  function expected(server: 'modern' | 'TLSv1', client: Outcome, serverSaw: Saw | 'no record'): Verdict {
    if (serverSaw === 'completed') return server === 'modern' ? 'pass' : 'downgrade';
    // A failure after the server's TLSv1 ServerHello is no refusal of TLSv1.
    const helloAndFailed = serverSaw === 'refused' || serverSaw === 'certificate' || serverSaw === 'reset';
    if (server === 'TLSv1') return client === 'refused' && helloAndFailed ? 'pass' : 'inconclusive';
    // The modern server: a claimed connection the server does not back is no evidence; any
    // failure the client reports (a refusal too) with no handshake the server completed is broken.
    return client === 'connected' ? 'inconclusive' : 'broken';
  }

  const cases: Array<[string, Outcome, Saw | 'no record', Verdict]> = [];
  for (const server of ['modern', 'TLSv1'] as const) {
    for (const c of said) for (const s of saw) cases.push([server, c, s, expected(server, c, s)]);
  }
  it.each(cases)('%s: client said %s, server saw %s: %s', (server, client, serverSaw, verdict) => {
    const run = cleanRun(['default']);
    const version = client === 'connected' ? (server === 'modern' ? 'TLSv1.3' : 'TLSv1') : undefined;
    const cell = hs(server, 'default', client, version);
    const handshakes = replace(run, cell);
    const records = honest(handshakes.filter((h) => h !== cell));
    if (serverSaw !== 'no record')
      records.push(record(server, cell.ports![0]!, serverSaw, server === 'modern' ? 'TLSv1.3' : 'TLSv1'));
    const r = decide(handshakes, ['default'], '1.2', records);
    expect(r.verdict).toBe(verdict);
    const judged = r.handshakes.find((h) => h.server === server && h.client === 'default')!;
    // Both sides are kept, whatever counted.
    expect(judged.clientSaid.outcome).toBe(client);
    expect(judged.serverSaw).toHaveLength(serverSaw === 'no record' ? 0 : 1);
  });

  it('a hidden TLS 1.0 handshake (the client reports a refusal the server completed) is a downgrade', () => {
    const run = cleanRun(['default']);
    const hidden = { ...hs('TLSv1', 'default', 'refused'), reason: 'UNSUPPORTED_PROTOCOL' };
    const records = honest(
      replace(run, hs('TLSv1', 'default', 'connected', 'TLSv1')).filter(
        (h) => !(h.server === 'TLSv1' && h.client === 'default'),
      ),
    );
    records.push(record('TLSv1', hidden.ports![0]!, 'completed', 'TLSv1'));
    const r = decide(replace(run, hidden), ['default'], '1.2', records);
    expect(r.verdict).toBe('downgrade');
    expect(r.summary).toMatch(
      /the client reported refused \(UNSUPPORTED_PROTOCOL\), but the server completed a TLSv1 handshake/,
    );
    expect(r.handshakes.find((h) => h.server === 'TLSv1' && h.client === 'default')).toMatchObject({
      outcome: 'connected',
      version: 'TLSv1',
      agreement: 'contradicted',
      clientSaid: { outcome: 'refused' },
    });
  });

  it("a report with no servers' records at all (a forged clean run) is inconclusive", () => {
    const r = decide(cleanRun(), ['default', 'strict'], '1.2', []);
    expect(r.verdict).toBe('inconclusive');
    expect(r.handshakes.every((h) => h.agreement === 'unseen' && h.outcome === 'unconfirmed')).toBe(true);
  });

  it('a handshake that names no port of its own is no evidence', () => {
    const run = cleanRun(['default']).map((h) => (h.client === 'default' ? { ...h, ports: [] } : h));
    const r = decide(run, ['default'], '1.2', honest(cleanRun(['default'])));
    expect(r.verdict).toBe('inconclusive');
    expect(r.summary).toMatch(/named no connection of its own/);
  });

  it('a completed legacy handshake no client reported is inconclusive', () => {
    const run = cleanRun(['default']);
    const records = [...honest(run), record('TLSv1', 1234, 'completed', 'TLSv1')];
    const r = decide(run, ['default'], '1.2', records);
    expect(r.verdict).toBe('inconclusive');
    expect(r.unclaimed).toEqual([expect.objectContaining({ port: 1234, completed: true })]);
    expect(r.summary).toMatch(/TLSv1 server completed a TLSv1 handshake \(client port 1234\) that no client reported/);
  });

  it('an unclaimed failed connection is reported but decides nothing', () => {
    const run = cleanRun(['default']);
    const r = decide(run, ['default'], '1.2', [...honest(run), record('TLSv1', 1234, 'nothing-sent')]);
    expect(r.verdict).toBe('pass');
    expect(r.unclaimed).toHaveLength(1);
  });

  it("the server's version counts where the client names another", () => {
    const run = cleanRun(['default']);
    const cell = hs('modern', 'default', 'connected', 'TLSv1.3');
    const records = honest(run.filter((h) => !(h.server === 'modern' && h.client === 'default')));
    records.push(record('modern', cell.ports![0]!, 'completed', 'TLSv1.2'));
    const r = decide(replace(run, cell), ['default'], '1.3', records);
    expect(r.verdict).toBe('broken');
    expect(r.negotiatedVersion).toBe('TLSv1.2');
  });

  it('several connections in one handshake: any completed one counts, at the lowest version', () => {
    const h: Handshake = { server: 'modern', client: 'command', outcome: 'connected', ports: [1, 2] };
    const { handshakes } = corroborate(
      [h],
      [record('modern', 1, 'completed', 'TLSv1.3'), record('modern', 2, 'completed', 'TLSv1.2')],
    );
    expect(handshakes[0]).toMatchObject({ outcome: 'connected', version: 'TLSv1.2', agreement: 'confirmed' });
  });

  it('a port the kernel used twice is matched in order, each record to one handshake', () => {
    const first: Handshake = { server: 'TLSv1', client: 'strict', outcome: 'connected', version: 'TLSv1', ports: [5] };
    const second: Handshake = { server: 'TLSv1', client: 'default', outcome: 'refused', ports: [5] };
    const { handshakes, unclaimed } = corroborate(
      [first, second],
      [record('TLSv1', 5, 'completed', 'TLSv1'), record('TLSv1', 5, 'refused')],
    );
    expect(handshakes.map((x) => [x.outcome, x.agreement])).toEqual([
      ['connected', 'confirmed'],
      ['refused', 'confirmed'],
    ]);
    expect(unclaimed).toEqual([]);
  });

  it('records of another server are never matched', () => {
    const h: Handshake = { server: 'TLSv1', client: 'default', outcome: 'refused', ports: [7] };
    const { handshakes } = corroborate([h], [record('TLSv1.1', 7, 'refused')]);
    expect(handshakes[0]).toMatchObject({ outcome: 'unconfirmed', agreement: 'unseen' });
  });
});

describe('a refusal after a below-floor ServerHello (issue 27)', () => {
  // A real probe's records (test/fixtures/server-records/after-server-hello.json says how they were made).
  const recorded = JSON.parse(
    readFileSync(new URL('../fixtures/server-records/after-server-hello.json', import.meta.url), 'utf8'),
  ) as Pick<VerdictInput, 'floor' | 'servers' | 'handshakes' | 'serverRecords'>;
  const verdictOf = (input: typeof recorded) => decideVerdict({ ...input, deciders: ['command'] });

  it('never gives pass: the recorded client accepted the TLSv1 ServerHello, then refused the SHA-1 signature', () => {
    const r = verdictOf(recorded);
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings).toEqual([
      expect.objectContaining({
        server: 'TLSv1',
        client: 'command',
        verdict: 'inconclusive',
        message: expect.stringMatching(
          /accepted the TLSv1-only server's TLSv1 ServerHello and then failed .*no refusal of TLSv1/,
        ),
      }),
    ]);
    // Each refusal says when it came.
    const cell = (server: string) => r.handshakes.find((h) => h.server === server && h.client === 'command');
    expect(cell('TLSv1')).toMatchObject({ outcome: 'refused', refusal: 'after-server-hello', serverHello: 'TLSv1' });
    expect(cell('TLSv1.1')).toMatchObject({ outcome: 'refused', refusal: 'before-server-hello' });
  });

  it('the same records without the ServerHello would have passed: the signal is what decides', () => {
    const serverRecords = recorded.serverRecords.map(({ serverHello: _, ...r }) => r);
    expect(verdictOf({ ...recorded, serverRecords }).verdict).toBe('pass');
  });

  it('a downgrade on another server still names the verdict', () => {
    const serverRecords = recorded.serverRecords.map((r) =>
      r.server === 'TLSv1.1' && !r.completed ? { ...r, completed: true, version: 'TLSv1.1', family: 'static RSA' } : r,
    );
    const r = verdictOf({ ...recorded, serverRecords });
    expect(r.verdict).toBe('downgrade');
    expect(r.summary).toMatch(/TLSv1\.1 with .*static RSA/);
  });
});

describe('runOutcome: fail-on-downgrade tolerates a downgrade, nothing else', () => {
  const finding = (verdict: Finding['verdict']): Finding => ({
    verdict,
    server: 'TLSv1',
    client: 'default',
    message: verdict,
  });
  it.each<[string, Finding['verdict'][], boolean, boolean]>([
    ['pass', [], true, false],
    ['pass', [], false, false],
    ['downgrade', ['downgrade'], true, true],
    ['downgrade', ['downgrade'], false, false],
    ['broken', ['broken'], false, true],
    ['inconclusive', ['inconclusive'], false, true],
    ['downgrade + broken', ['downgrade', 'broken'], false, true],
    ['downgrade + inconclusive', ['downgrade', 'inconclusive'], false, true],
    ['broken + inconclusive', ['broken', 'inconclusive'], true, true],
  ])('%s, fail-on-downgrade %s', (_name, kinds, failOnDowngrade, fails) => {
    const verdict = kinds[0] ?? 'pass';
    expect(runOutcome({ verdict, findings: kinds.map(finding) }, failOnDowngrade).fails).toBe(fails);
  });
});
