import { devNull } from 'node:os';
import type { ObservedServer } from '../handshake.js';
import type { ClientLimits, ClientRun, ProbeClient, RuntimeInfo, StartedClient } from './client.js';
import { judgeCommand } from './command.js';
import { askVersion } from './executable.js';
import { type OneShotClient, runOneShots } from './one_shot.js';

/** The one client of the AWS CLI: its own requests, as its configuration makes them. */
export const AWS_CLI_CLIENT = 'cli';

/**
 * The AWS CLI (`aws`), one run per server: `aws s3api list-buckets --endpoint-url URL
 * --ca-bundle CA`, its own HTTP stack (botocore on the CLI's Python and that Python's ssl: the
 * bundled one of the AWS CLI v2 installers, the machine's for a distribution's package), with
 * placeholder credentials (no request reaches AWS; the probe server answers any signature) and
 * nothing else configured: no config or credentials file, one attempt, no proxy. It decides in
 * every mode (the CLI has no TLS settings of its own to be strict with). An error the CLI
 * prints after the server completed the handshake (the probe's answer is no S3 XML) is a
 * completed handshake: the servers' records decide, as for a command.
 *
 * Its CRT transfer client (`s3.preferred_transfer_client = crt`, AWS CLI v2) goes through
 * awscrt's own TLS stack: the awscrt library client of the Python client probes it (on the
 * CLI's Python, libraries: awscrt); this client does not, since awscrt 0.16's S3 client
 * (Debian's) connects to port 443 whatever port the endpoint names.
 */
export class AwsCliClient implements ProbeClient {
  constructor(private readonly binary: string) {}

  start(limits: ClientLimits): StartedClient {
    const version = askVersion(this.binary, ['--version'], 'the AWS CLI (aws)', limits.signal);
    version.catch(() => undefined); // awaited in run(); never an unhandled rejection
    const seconds = String(Math.max(1, Math.ceil(limits.handshakeTimeoutMs / 1000)));
    const client: OneShotClient = {
      description: {
        name: AWS_CLI_CLIENT,
        settings: {
          call: 's3api list-buckets --endpoint-url URL --ca-bundle CA',
          credentials: 'placeholders (AWS_ACCESS_KEY_ID), no config or credentials file',
          attempts: '1 (AWS_MAX_ATTEMPTS)',
        },
      },
      invocation: (server: ObservedServer, caFile: string) => ({
        command: this.binary,
        args: [
          's3api',
          'list-buckets',
          '--endpoint-url',
          `https://localhost:${server.port}`,
          '--ca-bundle',
          caFile,
          '--cli-connect-timeout',
          seconds,
          '--cli-read-timeout',
          seconds,
          '--output',
          'json',
        ],
        env: cliEnvironment(),
      }),
      judge: judgeCommand,
    };
    return {
      run: async (job): Promise<ClientRun> => {
        const runtime = awsCliRuntime(this.binary, await version);
        return {
          runtime,
          clients: [{ ...client.description, ran: true }],
          handshakes: await runOneShots([client], job, limits),
        };
      },
    };
  }
}

/** The CLI's environment: the action's, without AWS settings or proxies, with placeholders. */
export function cliEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^AWS_/i.test(name) && !/^(https?|all|no)_proxy$/i.test(name)),
  );
  return {
    ...kept,
    AWS_ACCESS_KEY_ID: 'TLSFLOORPROBE',
    AWS_SECRET_ACCESS_KEY: 'tls-floor-probe',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: devNull,
    AWS_SHARED_CREDENTIALS_FILE: devNull,
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

/** `aws --version`: aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off. */
export function awsCliRuntime(binary: string, versionText: string): RuntimeInfo {
  const line = versionText.split('\n')[0] ?? '';
  const version = /aws-cli\/(\S+)/.exec(line)?.[1] ?? 'unknown';
  const python = /Python\/(\S+)/.exec(line)?.[1];
  const source = /\bsource\/(\S+)/.exec(line)?.[1] ?? /\bexe\/(\S+)/.exec(line)?.[1];
  return {
    kind: 'aws-cli',
    path: binary,
    version: `aws-cli ${version}`,
    tlsLibrary: python ? `the ssl module of its Python ${python} (botocore)` : 'unknown',
    details: {
      versionLine: line,
      ...(source ? { installedFrom: source } : {}),
      crtTransferClient: version.startsWith('2.')
        ? 'awscrt (s3.preferred_transfer_client = crt): not probed here; client python with libraries: awscrt probes its TLS stack'
        : 'none (AWS CLI v1)',
    },
  };
}
