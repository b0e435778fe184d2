import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { corroborate } from '../../src/judgement/corroboration.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import { AwsCliClient, cliEnvironment } from '../../src/probe/clients/aws_cli.js';
import { runProbe } from '../../src/probe/probe.js';
import type { Floor } from '../../src/shared/floor.js';
import { childProcesses } from '../fixtures/processes.js';
import { awsCliAvailable, DEBIAN_AWS_CLI, PYTHON_LIBS } from '../fixtures/python_libs.js';
import { startSServer } from '../fixtures/s_server.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const haveCli = awsCliAvailable();

beforeAll(() => {
  // Debian's aws is a script for /usr/bin/python3: its packages come from the fetched folder
  // (test/fixtures/tmp-file.ts puts process.env back after the file).
  process.env['PYTHONPATH'] = PYTHON_LIBS;
});

async function probe(floor: Floor) {
  const observation = await runProbe(new AwsCliClient(DEBIAN_AWS_CLI), {
    floor,
    handshakeTimeoutMs: 10_000,
    probeTimeoutMs: 120_000,
  });
  const deciders = decidingClients('default', observation.clients);
  const result = decideVerdict({
    floor,
    servers: observation.servers,
    deciders,
    handshakes: observation.handshakes,
    serverRecords: observation.serverRecords,
  });
  const cell = (server: string) => result.handshakes.find((h) => h.server === server && h.client === 'cli');
  return { observation, result, deciders, cell };
}

/** The CLI against openssl s_server with `args`: its exit code and the protocols s_server completed. */
async function truth(args: readonly string[], key: 'ec' | 'rsa' = 'ec'): Promise<string> {
  const server = await startSServer(args, key);
  try {
    let exit = 0;
    try {
      execFileSync(
        DEBIAN_AWS_CLI,
        ['s3api', 'list-buckets', '--endpoint-url', `https://localhost:${server.port}`, '--ca-bundle', server.cert]
          // s_server sends no answer: the CLI gives up reading after 2 s (the session is printed by then).
          .concat(['--cli-read-timeout', '2']),
        { env: cliEnvironment(), stdio: 'ignore', timeout: 30_000 },
      );
    } catch (error) {
      exit = (error as { status: number }).status;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    return `exit ${exit}; s_server: ${server.protocols().join(', ') || 'none'}`;
  } finally {
    await server.stop();
  }
}

describe.skipIf(!haveCli)("client aws-cli: Debian's AWS CLI (awscli) on /usr/bin/python3", () => {
  it('the truth: with openssl s_server it completes TLS 1.3 and 1.2, and TLS 1.0 by static RSA (it refuses ECDHE-ECDSA there only for the SHA-1 signature)', async () => {
    // s_server answers nothing: the CLI fails after the handshake (a read timeout); the session is what counts.
    expect(await truth([])).toMatch(/; s_server: TLSv1\.3$/);
    expect(await truth(['-tls1_2'])).toMatch(/; s_server: TLSv1\.2$/);
    expect(await truth(['-tls1', '-cipher', 'ALL:@SECLEVEL=0'])).toMatch(/^exit [1-9]\d*; s_server: none$/);
    expect(await truth(['-tls1', '-cipher', 'kRSA:@SECLEVEL=0'], 'rsa')).toMatch(/; s_server: TLSv1$/);
  });

  it('runs both phases; its verdict agrees with the servers: a downgrade at a 1.2 floor (static RSA)', async () => {
    const at12 = await probe('1.2');
    expect(at12.observation.runtime).toMatchObject({
      kind: 'aws-cli',
      version: expect.stringMatching(/^aws-cli 2\.\d+\.\d+$/),
      tlsLibrary: expect.stringMatching(/^the ssl module of its Python 3\./),
    });
    expect(at12.deciders).toEqual(['cli']);
    expect(at12.cell('modern')).toMatchObject({ outcome: 'connected', version: 'TLSv1.3', agreement: 'confirmed' });
    for (const v of ['TLSv1', 'TLSv1.1'])
      expect(at12.cell(v), v).toMatchObject({ outcome: 'connected', version: v, agreement: 'confirmed' });
    expect(at12.result.verdict).toBe('downgrade');
    expect(corroborate(at12.observation.handshakes, at12.observation.serverRecords).unclaimed).toEqual([]);

    const at13 = await probe('1.3');
    expect(at13.cell('TLSv1.2')).toMatchObject({ outcome: 'connected', version: 'TLSv1.2', agreement: 'confirmed' });
    expect(at13.result.verdict).toBe('downgrade');
  });
});
