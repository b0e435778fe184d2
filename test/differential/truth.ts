import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  CONTROL,
  FAMILIES,
  OPENSSL,
  type Pki,
  type RunningServer,
  type ServerRecord,
  startServer,
  VERSIONS,
} from './s_server.js';

const HERE = import.meta.dirname;
const PY_CLIENT = path.join(HERE, 'truth_client.py');
const NODE_CLIENT = path.join(HERE, 'truth_client.cjs');

/** The action's input that selects a client kind, with what the action needs to probe the same program. */
export interface ActionTarget {
  /** One action run per target and floor; every client of the target is read from its report. */
  key: string;
  inputs: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

/** One client of the machine, as the truth runs it and as the action names it in report.clientOutcomes. */
export interface TruthClient {
  /** The row's name: program and client. */
  label: string;
  target: ActionTarget;
  /** The action's name for this client (clientOutcomes[].client). */
  client: string;
  /** One process that connects to every port in turn (interpreters), or one run per port (programs). */
  batch?: (ca: string, ports: number[]) => string[];
  single?: (ca: string, port: number) => string[];
  env?: NodeJS.ProcessEnv;
}

/** What the client and the server said of one handshake. */
export interface Cell extends ServerRecord {
  /** The client's own word: it returned (true) or raised / exited non-zero (false). */
  clientOk: boolean;
  clientError?: string;
}

/** A runner's environment without any proxy between a client and 127.0.0.1. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/_proxy$/i.test(k) && !k.startsWith('INPUT_')),
  );
  return { ...env, ...extra };
}

/** The pyenv interpreters the action can probe (CPython 3.6 and later), where present. */
export function pyenvPythons(): string[] {
  const root = '/root/.pyenv/versions';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^3\.(\d+)\.\d+$/.test(v) && Number(v.split('.')[1]) >= 6)
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
    .map((v) => path.join(root, v, 'bin', 'python'))
    .filter((p) => existsSync(p));
}

export function pythonClients(
  python: string,
  label: string,
  libraries?: { path: string; names: string[] },
): TruthClient[] {
  const env = libraries ? { PYTHONPATH: libraries.path } : {};
  const target: ActionTarget = {
    key: python,
    inputs: { 'python-path': python, libraries: libraries ? libraries.names.join(',') : 'none' },
    env,
  };
  return ['default', 'strict', ...(libraries?.names ?? [])].map((client) => ({
    label: `${label} ${client}`,
    target,
    client,
    batch: (ca, ports) => [python, PY_CLIENT, client, ca, ...ports.map(String)],
    env,
  }));
}

/** A program the action runs once per handshake (curl, s_client), in its default and strict modes. */
export function programClients(kind: 'curl' | 'openssl', binary: string, label: string): TruthClient[] {
  const target: ActionTarget = { key: `${kind}:${binary}`, inputs: { client: kind, 'client-path': binary } };
  const strict =
    kind === 'curl'
      ? ['--tlsv1.0', '--ciphers', 'ALL:@SECLEVEL=0']
      : ['-min_protocol', 'TLSv1', '-cipher', 'ALL:@SECLEVEL=0'];
  return (['default', 'strict'] as const).map((client) => ({
    label: `${label} ${client}`,
    target,
    client,
    single: (ca, port) =>
      kind === 'curl'
        ? [binary, ...curlArgs(ca, port), ...(client === 'strict' ? strict : [])]
        : [binary, 's_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost']
            .concat(['-verify_hostname', 'localhost', '-verify_return_error', '-CAfile', ca])
            .concat(client === 'strict' ? strict : []),
  }));
}

function curlArgs(ca: string, port: number): string[] {
  return ['-q', '-sS', '-o', '/dev/null', '--noproxy', '*', '--max-time', '10', '--cacert', ca].concat([
    '--resolve',
    `localhost:${port}:127.0.0.1`,
    `https://localhost:${port}/`,
  ]);
}

export function nodeClients(binary: string, label: string): TruthClient[] {
  const target: ActionTarget = { key: `node:${binary}`, inputs: { client: 'node', 'client-path': binary } };
  return (['default', 'strict'] as const).map((client) => ({
    label: `${label} ${client}`,
    target,
    client,
    batch: (ca, ports) => [binary, NODE_CLIENT, client, ca, ...ports.map(String)],
  }));
}

/** Issue 28's client: TLS 1.0 allowed, only RSA-authenticated suites offered (an ECDSA-only legacy server says "no shared cipher"). */
export const RSA_ONLY_CIPHERS = 'ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0';

export function rsaOnlyCurl(curl: string): TruthClient {
  const flags = ['--tlsv1.0', '--ciphers', RSA_ONLY_CIPHERS];
  const command = [curl, '-q', '-sS', '-o', '/dev/null', '--noproxy', '*', ...flags, '--cacert', '{ca}', '{url}'];
  return {
    label: `curl ${flags.join(' ')} (client: command)`,
    target: { key: 'command:rsa-only-curl', inputs: { client: 'command', 'client-command': command.join(' ') } },
    client: 'command',
    single: (ca, port) => [curl, ...curlArgs(ca, port), ...flags],
  };
}

/** Runs `argv` with a deadline; its exit code (null: killed) and output, bounded. */
function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = argv as [string, ...string[]];
    execFile(
      command,
      args,
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    ).stdin?.end();
  });
}

/**
 * The truth for one client: a fresh s_server for each version and family (every one below a
 * floor of 1.3), the client once against each, and what each server recorded.
 */
export async function truthOf(pki: Pki, client: TruthClient): Promise<{ cells: Cell[]; control: Cell }> {
  const servers: RunningServer[] = [];
  try {
    const wanted = [
      ...VERSIONS.flatMap((v) => FAMILIES.map((f) => [v, f] as const)),
      [CONTROL.version, CONTROL.family] as const,
    ];
    // A few at a time: 22 OpenSSL start-ups at once only queue on a loaded machine.
    await bounded(wanted, 4, async ([v, f]) => servers.push(await startServer(pki, v, f)));
    const order = (s: RunningServer) => wanted.findIndex(([v, f]) => v.name === s.version && f.id === s.family);
    servers.sort((a, b) => order(a) - order(b));
    const env = cleanEnv(client.env);
    const said = new Map<number, { ok: boolean; error?: string }>();
    if (client.batch) {
      const ports = servers.map((s) => s.port);
      const out = await run(client.batch(pki.ca, ports), env, 120_000);
      for (const line of out.stdout.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { port: number; ok: boolean; error?: string };
        said.set(r.port, r);
      }
      if (said.size !== ports.length)
        throw new Error(
          `${client.label}: ${said.size} of ${ports.length} results (exit ${out.code}): ${out.stderr.slice(-1000)}`,
        );
    } else {
      await bounded(servers, 3, async (server) => {
        const out = await run(client.single!(pki.ca, server.port), env, 15_000);
        const error = (out.stderr || out.stdout).trim().split('\n').slice(-1)[0]?.slice(0, 300);
        said.set(server.port, { ok: out.code === 0, ...(out.code !== 0 && error ? { error } : {}) });
      });
    }
    const cells = await Promise.all(
      servers.map(async (server): Promise<Cell> => {
        const word = said.get(server.port) ?? { ok: false };
        return {
          ...(await server.finish(3_000)),
          clientOk: word.ok,
          ...(word.error ? { clientError: word.error } : {}),
        };
      }),
    );
    return {
      cells: cells.filter((c) => c.version !== 'control'),
      control: cells.find((c) => c.version === 'control')!,
    };
  } finally {
    await Promise.all(servers.map((s) => s.finish(0)));
  }
}

/**
 * Runs `job` over `items` with at most `bound` at a time; results in order. After a failure no
 * new item starts, the ones under way finish (so none leaves a process behind), and the first
 * error is thrown.
 */
export async function bounded<T, R>(items: readonly T[], bound: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const i = next++;
      try {
        results[i] = await job(items[i] as T);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(bound, items.length) }, worker));
  if (errors.length) throw errors[0];
  return results;
}

export { OPENSSL };
