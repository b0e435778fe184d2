import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { corroborate } from '../../src/judgement/corroboration.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import { NodeClient, type NodeProbeOptions } from '../../src/probe/clients/node.js';
import { runProbe } from '../../src/probe/probe.js';
import type { Floor } from '../../src/shared/floor.js';
import { NODE_LIBRARIES } from '../../src/shared/libraries.js';
import { childProcesses } from '../fixtures/processes.js';
import { requirePath } from '../fixtures/requirements.js';
import { startSServer } from '../fixtures/s_server.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const ROOT = path.resolve(import.meta.dirname, '../..');
// Node.js 24, as the action runs (.cache/node24, fetched by scripts/fetch-test-sources.sh).
const NODE24 = requirePath(path.join(ROOT, '.cache/node24/bin/node'), 'run scripts/fetch-test-sources.sh');
// @aws-sdk/client-s3 is a devDependency: the workspace (this repository) resolves it.
const SDK_VERSION = JSON.parse(
  execFileSync(NODE24, ['-p', "JSON.stringify(require('@aws-sdk/client-s3/package.json').version)"], {
    cwd: ROOT,
    encoding: 'utf8',
  }),
);

async function probe(options: NodeProbeOptions, floor: Floor) {
  const observation = await runProbe(new NodeClient(NODE24, options), {
    floor,
    handshakeTimeoutMs: 5000,
    probeTimeoutMs: 60000,
  });
  const deciders = decidingClients('default', observation.clients);
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

/** Node.js 24's fetch against openssl s_server with `args`: what it says, and the protocols s_server completed. */
async function fetchTruth(args: readonly string[]): Promise<string> {
  const server = await startSServer([...args, '-www']);
  try {
    const said = execFileSync(
      NODE24,
      [
        '-e',
        `fetch('https://localhost:${server.port}/').then((r) => r.text()).then((t) => console.log('connected', /Protocol *: *(\\S+)/.exec(t)?.[1]), (e) => console.log('failed', e.cause?.code))`,
      ],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: server.cert }, encoding: 'utf8', timeout: 20_000 },
    ).trim();
    return said;
  } finally {
    await server.stop();
  }
}

describe('client node with libraries: https, fetch, aws-sdk on Node.js 24', () => {
  it('the truth: fetch completes TLS 1.2 with openssl s_server -tls1_2 and refuses -tls1 at @SECLEVEL=0', async () => {
    expect(await fetchTruth(['-tls1_2'])).toBe('connected TLSv1.2');
    expect(await fetchTruth(['-tls1', '-cipher', 'ALL:@SECLEVEL=0'])).toMatch(/^failed ERR_SSL_/);
  });

  it('each runs, reports its version, decides beside default and is corroborated: pass at 1.2, a downgrade at 1.3', async () => {
    const options = { libraries: NODE_LIBRARIES, workspace: ROOT };
    const at12 = await probe(options, '1.2');
    expect(at12.deciders).toEqual(['default', ...NODE_LIBRARIES]);
    const settings = (name: string) => at12.observation.clients.find((c) => c.name === name)?.settings;
    expect(settings('aws-sdk')?.['version']).toBe(SDK_VERSION);
    expect(settings('https')?.['version']).toBe(
      execFileSync(NODE24, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim(),
    );
    for (const name of NODE_LIBRARIES) {
      expect(at12.cell('modern', name), name).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1.3',
        agreement: 'confirmed',
      });
      for (const v of ['TLSv1', 'TLSv1.1'])
        expect(at12.cell(v, name), `${name} ${v}`).toMatchObject({ outcome: 'refused', agreement: 'confirmed' });
    }
    expect(at12.result.verdict).toBe('pass');
    expect(corroborate(at12.observation.handshakes, at12.observation.serverRecords).unclaimed).toEqual([]);

    const at13 = await probe(options, '1.3');
    for (const name of NODE_LIBRARIES)
      expect(at13.cell('TLSv1.2', name), name).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1.2',
        agreement: 'confirmed',
      });
    expect(at13.result.verdict).toBe('downgrade');
  });

  it('aws-sdk where the workspace has no @aws-sdk/client-s3 is listed as not run and decides nothing', async () => {
    expect(existsSync('/nonexistent')).toBe(false);
    const { observation, deciders } = await probe({ libraries: ['aws-sdk'], workspace: '/nonexistent' }, '1.2');
    expect(observation.clients.find((c) => c.name === 'aws-sdk')).toMatchObject({
      ran: false,
      skipped: expect.stringMatching(/^aws-sdk cannot run here: Cannot find module '@aws-sdk\/client-s3'/),
    });
    expect(deciders).toEqual(['default']);
  });
});
