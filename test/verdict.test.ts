import { describe, expect, it } from 'vitest';
import type { Floor } from '../src/floor.js';
import type { Handshake, Outcome, ProbeServer } from '../src/probe/handshake.js';
import { decideVerdict, type Verdict } from '../src/verdict.js';

const servers12: ProbeServer[] = [
  { id: 'modern', role: 'modern', versions: ['TLSv1.2', 'TLSv1.3'], port: 1 },
  { id: 'TLSv1', role: 'legacy', versions: ['TLSv1'], port: 2 },
  { id: 'TLSv1.1', role: 'legacy', versions: ['TLSv1.1'], port: 3 },
];

function hs(server: string, client: string, outcome: Outcome, version?: string): Handshake {
  return { server, client, outcome, ...(version ? { version } : {}) };
}

/** A clean run: controls reach every legacy server, clients connect with 1.3 and are refused. */
function cleanRun(clients = ['default', 'strict']): Handshake[] {
  return [
    hs('TLSv1', 'control', 'connected', 'TLSv1'),
    hs('TLSv1.1', 'control', 'connected', 'TLSv1.1'),
    ...clients.flatMap((c) => [hs('modern', c, 'connected', 'TLSv1.3'), hs('TLSv1', c, 'refused'), hs('TLSv1.1', c, 'refused')]),
  ];
}

function replace(list: Handshake[], next: Handshake): Handshake[] {
  return list.map((h) => (h.server === next.server && h.client === next.client ? next : h));
}

function decide(handshakes: Handshake[], deciders = ['default', 'strict'], floor: Floor = '1.2') {
  return decideVerdict({ floor, servers: servers12, deciders, handshakes });
}

describe('decideVerdict', () => {
  it('passes a clean run and names what phase 1 negotiated', () => {
    const r = decide(cleanRun());
    expect(r.verdict).toBe('pass');
    expect(r.negotiatedVersion).toBe('TLSv1.3');
    expect(r.findings).toEqual([]);
  });

  // Every single-cell change from the clean run, for every outcome: the verdict is what
  // the rules say, and never 'pass' unless the changed cell is still a refusal/connection.
  const outcomes: Outcome[] = ['connected', 'refused', 'certificate', 'network', 'timeout', 'error'];
  const expectations: Array<[string, string, Outcome, Verdict]> = [];
  for (const client of ['default', 'strict']) {
    for (const outcome of outcomes) {
      expectations.push(['modern', client, outcome, outcome === 'connected' ? 'pass' : 'broken']);
      for (const legacy of ['TLSv1', 'TLSv1.1']) {
        expectations.push([legacy, client, outcome, outcome === 'connected' ? 'downgrade' : outcome === 'refused' ? 'pass' : 'inconclusive']);
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

  it('downgrade outranks broken, broken outranks inconclusive', () => {
    let run = replace(cleanRun(), hs('modern', 'default', 'network'));
    run = replace(run, hs('TLSv1', 'control', 'timeout'));
    expect(decide(run).verdict).toBe('broken');
    run = replace(run, hs('TLSv1.1', 'strict', 'connected', 'TLSv1.1'));
    const r = decide(run);
    expect(r.verdict).toBe('downgrade');
    expect(r.findings.map((f) => f.verdict).sort()).toEqual(['broken', 'downgrade', 'inconclusive']);
  });

  it('a client absent from the run is broken, not pass', () => {
    expect(decide(cleanRun(['default']), ['default', 'strict']).verdict).toBe('broken');
  });
});
