import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Floor } from '../../src/floor.js';
import { decidingClients, readInputs } from '../../src/inputs.js';
import {
  evaluatePolicies,
  observeClients,
  POLICIES,
  POLICY_IDS,
  serversFor,
  type PolicyEvaluation,
  type PolicyId,
} from '../../src/policy/index.js';
import type { ProbeClient } from '../../src/probe/clients/client.js';
import { selectClient } from '../../src/probe/clients/index.js';
import { PythonClient } from '../../src/probe/clients/python.js';
import { clientHelloFacts } from '../../src/probe/client_hello.js';
import { runProbe } from '../../src/probe/probe.js';
import { decideVerdict } from '../../src/verdict.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const NODE24 = path.resolve('.cache/node24/bin/node');
const ALL = POLICY_IDS.filter((p) => p !== 'floor');

async function clientFor(inputs: Record<string, string>): Promise<ProbeClient> {
  const selected = await selectClient(readInputs((name) => inputs[name] ?? ''));
  if (!selected) throw new Error('client: python is not selected by selectClient');
  return selected.client;
}

/** The probe, the verdict and the policies, as main.ts runs them (in this process: Node.js 20 serves). */
async function posture(client: ProbeClient, policyIds: readonly PolicyId[], floor: Floor = '1.2') {
  const policies = policyIds.map((id) => POLICIES[id]);
  const observation = await runProbe(client, {
    floor,
    handshakeTimeoutMs: 5000,
    probeTimeoutMs: 50000,
    policyServers: serversFor(policies, floor),
  });
  const deciders = decidingClients('both', observation.clients);
  const { servers, handshakes, serverRecords, unavailable } = observation;
  const result = decideVerdict({ floor, servers, deciders, handshakes, serverRecords });
  for (const server of servers) expect(await isClosed(server.port)).toBe(true);
  const observations = observeClients({ servers, unavailable, handshakes: result.handshakes, clients: deciders });
  const evaluation = evaluatePolicies(policies, observations, { floor });
  return { observation, result, observations, evaluation };
}

/** A rule's status for one client. */
const status = (e: PolicyEvaluation, rule: string, client: string) =>
  e.results.find((r) => r.rule === rule)?.clients.find((c) => c.client === client)?.status;

describe('dump', () => {
  it('python3', async () => {
    const p = await posture(new PythonClient('/usr/bin/python3'), ALL);
    console.log(JSON.stringify({ servers: p.observation.servers.map((s) => s.id), unavailable: p.observation.unavailable,
      controls: p.result.handshakes.filter((h) => h.client === 'control').map((h) => [h.server, h.outcome, h.version, h.cipher, h.error]),
      obs: p.observations.map((o) => ({ client: o.client, servers: o.servers, facts: o.hellos.slice(0, 1).map((h) => clientHelloFacts(h.hello)) })),
      res: p.evaluation.results.map((r) => [r.rule, r.status, r.clients.map((c) => c.status).join('/')]),
      wh: p.result.handshakes.filter((h) => h.server === 'cert-wrong-host').map((h) => ({ ...h, serverSaw: h.serverSaw.map((x) => ({ ...x, clientHello: undefined })) })),
      duration: p.observation.durationMs }, null, 1));
  }, 60_000);
});
