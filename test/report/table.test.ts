import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../src/judgement/judge.js';
import { NodeClient } from '../../src/probe/clients/node.js';
import { type ProbeObservation, runProbe } from '../../src/probe/probe.js';
import { buildReport, type Report } from '../../src/report/report.js';
import { renderTextTable } from '../../src/report/table.js';
import { childProcesses } from '../fixtures/processes.js';

// A report from a real, small observation: the Node.js running the tests probed on loopback
// in both modes at a 1.2 floor (its strict client completes TLS 1.0: a downgrade).
let report: Report;
beforeAll(async () => {
  const observation = await runProbe(new NodeClient(process.execPath), {
    floor: '1.2',
    handshakeTimeoutMs: 5000,
    probeTimeoutMs: 50_000,
  });
  const judgement = judge(observation, { probeMode: 'both', policies: [] });
  report = buildReport(observation, judgement, {}, new Date('2026-11-29T00:00:00Z'));
});
afterAll(() => {
  expect(childProcesses()).toEqual([]);
});

/** A cell as a reader reads it: its mark, and the reason the layout moved to a note under the table ([n]). */
function whole(text: string, cell: string): string {
  const note = /^(\S+) .*\[(\d+)\]\s*$/.exec(cell);
  if (!note) return cell;
  const line = text.split('\n').find((l) => l.startsWith(`[${note[2]}] `));
  return `${note[1]} ${line?.slice(`[${note[2]}] `.length) ?? ''}`;
}

describe('renderTextTable', () => {
  it('heads with the verdict, floor, mode and runtime', () => {
    const [first, second] = renderTextTable(report).split('\n');
    expect(first).toBe('tls-floor verdict: DOWNGRADE (floor TLS 1.2, probe-mode both)');
    expect(second).toBe(
      `runtime: Node.js ${process.versions.node} at ${process.execPath}; TLS library: OpenSSL ${process.versions.openssl}`,
    );
  });

  it('has one row per server, one column per client, aligned, with the downgrade marked', () => {
    const text = renderTextTable(report);
    const lines = text.split('\n');
    const header = lines[2]!;
    expect(header).toMatch(/^server\s+\| control\s+\| default\s+\| strict$/);
    expect(lines[3]).toMatch(/^-+(-\+-+)+$/);
    const rows = lines.slice(4, 4 + report.servers.length);
    expect(rows.map((r) => r.split(' | ')[0]!.trim())).toEqual(['modern (TLS 1.2+1.3)', 'TLSv1 only', 'TLSv1.1 only']);
    // Every row's column separators line up under the header's.
    const bars = (line: string) => [...line.matchAll(/ \| /g)].map((m) => m.index);
    for (const row of rows) expect(bars(row)).toEqual(bars(header));
    const tls1 = rows
      .find((r) => r.startsWith('TLSv1 only'))!
      .split(' | ')
      .map((cell) => whole(text, cell))
      .join(' | ');
    // The control only proves the server reachable: no mark of its own.
    expect(tls1.split(' | ')[1]).toMatch(/^ {3}reached TLSv1 *$/);
    // Node's default client refuses TLS 1.0 in its offer; its strict one completes static RSA.
    expect(tls1.split(' | ')[2]).toMatch(/^ok refused before the ServerHello/);
    expect(tls1.split(' | ')[3]).toMatch(/^XX connected TLSv1 \(static RSA\)$/);
    expect(rows[0]!.split(' | ')[3]).toMatch(/^ok connected TLSv1\.3/);
  });

  it('says of a refusal after a below-floor ServerHello that it is none (a recorded probe)', () => {
    const recorded = JSON.parse(
      readFileSync(new URL('../fixtures/server-records/after-server-hello.json', import.meta.url), 'utf8'),
    ) as Pick<ProbeObservation, 'floor' | 'servers' | 'handshakes' | 'serverRecords'>;
    const observation: ProbeObservation = {
      ...recorded,
      runtime: {
        kind: 'command',
        path: 'openssl',
        version: 'OpenSSL 3.0.19',
        tlsLibrary: 'OpenSSL 3.0.19',
        details: {},
      },
      clients: [{ name: 'command', settings: {}, ran: true }],
      unavailable: [],
      durationMs: 0,
    };
    const text = renderTextTable(buildReport(observation, judge(observation, { probeMode: 'default', policies: [] })));
    const row = (server: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(`${server} only `))!
        .split(' | ')
        .map((cell) => whole(text, cell));
    expect(row('TLSv1')[2]).toMatch(/^\?\? failed after its TLSv1 ServerHello \(.*\): no refusal of what it serves/);
    expect(row('TLSv1.1')[2]).toMatch(/^ok refused before the ServerHello/);
    expect(text.replace(/\n +/g, ' ')).toMatch(/failed ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR after its TLSv1 ServerHello/);
    expect(text.split('\n')[0]).toBe('tls-floor verdict: INCONCLUSIVE (floor TLS 1.2, probe-mode default)');
  });

  it('ends with both sides of every handshake', () => {
    const text = renderTextTable(report);
    // Aligned where the columns fit in 120, else one (wrapped) line each: "server × client: ...".
    const sides = text.slice(text.indexOf('Both sides of each handshake:')).split('\n').slice(1);
    if (/^server\s+\| client\s+\| client said\s+\| server saw\s+\| counted$/.test(sides[0]!)) {
      expect(sides.length - 1).toBe(report.handshakes.length);
    } else {
      const heads = sides.filter((l) => !l.startsWith('  '));
      expect(heads.map((l) => l.split(':')[0])).toEqual(report.handshakes.map((h) => `${h.server} × ${h.client}`));
    }
    expect(text).toContain(report.summary);
  });
});
