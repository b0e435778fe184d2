import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { DEBIAN_PYTHON, PYTHON_LIBS, pythonLibsAvailable } from '../fixtures/python_libs.js';
import { onPath, optional, requiredOnCi, requirePath, requireTool, versionLine } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';
import { belowFloor, FAMILIES, killAll, makePki, OPENSSL, type Pki, startServer, VERSIONS } from './s_server.js';
import {
  bounded,
  type Cell,
  cleanEnv,
  nodeClients,
  programClients,
  pyenvPythons,
  pythonClients,
  rsaOnlyCurl,
  type TruthClient,
  truthOf,
} from './truth.js';
import { captured } from './wire.js';

/**
 * Issue 27's differential test: for every client on the machine, the truth from an independent
 * server (OpenSSL's s_server, pinned to each version below the floor in each key-exchange
 * family) against the action's verdict for the same client, mode and floor (the bundle,
 * dist/index.js, on Node.js 24 with action.yml's defaults). A below-floor handshake that
 * s_server counts as finished in any family means the action must say `downgrade`; none means
 * it must say `pass`. The table of every case is printed (and written to $DIFFERENTIAL_TABLE
 * as Markdown when set: docs/clients.md's measured table comes from it).
 */

requirePath(OPENSSL, 'OpenSSL 3 from the distribution: the independent server');
const CURL = requireTool('curl');
const NODE = requireTool('node');
const FLOORS = ['1.2', '1.3'] as const;
type Floor = (typeof FLOORS)[number];

const LIBRARIES = ['urllib3', 'requests', 'httpx', 'aiohttp', 'botocore'];
const pyenv = pyenvPythons();
optional('pyenv', 'no CPython 3.6+ under /root/.pyenv/versions', pyenv.length > 0);
const pyVersion = (python: string) => versionLine(python, ['-c', 'import platform; print(platform.python_version())']);

const CLIENTS: TruthClient[] = [
  ...pythonClients(
    DEBIAN_PYTHON,
    `${DEBIAN_PYTHON} ${pyVersion(DEBIAN_PYTHON)}`,
    pythonLibsAvailable() ? { path: PYTHON_LIBS, names: LIBRARIES } : undefined,
  ),
  ...pyenv.flatMap((python) => pythonClients(python, `pyenv ${pyVersion(python)}`)),
  ...programClients('curl', CURL, versionLine(CURL, ['--version']).split(' ').slice(0, 2).join(' ')),
  ...programClients('openssl', OPENSSL, `s_client ${versionLine(OPENSSL, ['version']).split(' ')[1]}`),
  ...nodeClients(NODE, `node ${versionLine(NODE, ['--version'])}`),
  rsaOnlyCurl(CURL),
];

const targets = [...new Map(CLIENTS.map((c) => [c.target.key, c.target])).values()];
const truth = new Map<string, Cell[]>();
const controls = new Map<string, Cell>();
const verdicts = new Map<string, Record<string, string>>();
/** The run's own verdict output in probe-mode default (issue 27's named cases: /usr/bin/python3, curl, openssl at floor 1.2). */
const DEFAULT_MODE = targets.filter(
  (t) => t.key === DEBIAN_PYTHON || t.key.startsWith('curl:') || t.key.startsWith('openssl:'),
);
const defaultVerdicts = new Map<string, string>();
/** Action runs that wrote no report, with the run's last line. */
const unreported = new Map<string, string>();
let pki: Pki;

beforeAll(async () => {
  pki = makePki(temporaryFolder('tls-floor-differential-'));
  const started = performance.now();
  const actionRuns = [
    ...targets.flatMap((target) => FLOORS.map((floor) => ({ target, floor, mode: 'both' }))),
    ...DEFAULT_MODE.map((target) => ({ target, floor: '1.2' as Floor, mode: 'default' })),
  ];
  // allSettled: a failure on one side still lets the other finish, so nothing is left running.
  const settled = await Promise.allSettled([
    bounded(CLIENTS, 3, async (client) => {
      const { cells, control } = await truthOf(pki, client);
      truth.set(client.label, cells);
      controls.set(client.label, control);
    }),
    bounded(actionRuns, 2, async ({ target, floor, mode }) => {
      const run = await runAction(
        // probe-mode both: every client decides and each one's outcome is in the report; a command decides in every mode.
        { ...target.inputs, 'probe-mode': mode, 'min-tls-version': floor, 'fail-on-downgrade': 'false' },
        cleanEnv(target.env),
      );
      if (mode === 'default') {
        defaultVerdicts.set(target.key, run.outputs['verdict'] ?? `no verdict (exit ${run.code})`);
        return;
      }
      const path = run.outputs['report-path'];
      if (!path) {
        // Each of the target's clients then fails on its own with this line, the other cases still run.
        const last = run.stdout.trim().split('\n').slice(-1)[0]?.slice(0, 300);
        unreported.set(`${target.key} ${floor}`, `no report (exit ${run.code}): ${last}`);
        return;
      }
      const report = JSON.parse(readFileSync(path, 'utf8')) as {
        clientOutcomes: { client: string; outcome?: string }[];
      };
      verdicts.set(
        `${target.key} ${floor}`,
        Object.fromEntries(report.clientOutcomes.map((c) => [c.client, c.outcome ?? 'not run'])),
      );
    }),
  ]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  console.log(
    `differential: ${CLIENTS.length} clients x ${VERSIONS.length * FAMILIES.length} servers, ${actionRuns.length} action runs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}, 600_000);

afterAll(async () => {
  await killAll();
  printTables();
  expect(childProcesses()).toEqual([]);
});

interface Row {
  client: TruthClient;
  floor: Floor;
  completed: Cell[];
  refusedAfterHello: Cell[];
  action: string;
  expected: 'downgrade' | 'pass';
}

function rowOf(client: TruthClient, floor: Floor): Row {
  const below = (truth.get(client.label) ?? []).filter((c) => (belowFloor(floor) as string[]).includes(c.version));
  const completed = below.filter((c) => c.completed);
  return {
    client,
    floor,
    completed,
    refusedAfterHello: below.filter((c) => !c.completed && c.hello),
    action:
      verdicts.get(`${client.target.key} ${floor}`)?.[client.client] ??
      unreported.get(`${client.target.key} ${floor}`) ??
      'not in the report',
    expected: completed.length > 0 ? 'downgrade' : 'pass',
  };
}

const family = (id: string) => FAMILIES.find((f) => f.id === id)?.label ?? id;
const version = (name: string) => VERSIONS.find((v) => v.name === name)?.label ?? name;

/** "static RSA at TLS 1.0, 1.1; DHE-RSA at TLS 1.0" */
function cells(list: Cell[]): string {
  if (list.length === 0) return 'none';
  const by = new Map<string, string[]>();
  for (const c of list) by.set(c.family, [...(by.get(c.family) ?? []), version(c.version).replace('TLS ', '')]);
  return [...by].map(([f, v]) => `${family(f)} at TLS ${v.join(', ')}`).join('; ');
}

describe.each(CLIENTS.map((client) => [client.label, client] as const))('%s', (_label, client) => {
  it('completes the control (s_server at its defaults, TLS 1.2-1.3): the test PKI and set-up are sound for it', () => {
    const control = controls.get(client.label);
    expect(control?.completed, `${control?.why} / client: ${control?.clientError}`).toBe(true);
  });

  it('s_server and the client agree on every handshake the client says it completed', () => {
    const cellsOf = truth.get(client.label) ?? [];
    expect(cellsOf).toHaveLength(VERSIONS.length * FAMILIES.length);
    const contradicted = cellsOf.filter((c) => c.clientOk && !c.completed);
    expect(contradicted, 'the client says it connected but s_server finished no handshake').toEqual([]);
  });

  it.each(FLOORS)(
    'floor %s: the action says downgrade when s_server finished any below-floor handshake, else pass',
    (floor) => {
      const row = rowOf(client, floor);
      expect(
        row.action,
        `truth: ${cells(row.completed)}; refused after ServerHello: ${cells(row.refusedAfterHello)}`,
      ).toBe(row.expected);
    },
  );
});

describe.each(DEFAULT_MODE.map((t) => [t.key, t] as const))('probe-mode: default, floor 1.2: %s', (key) => {
  it("the run's verdict is downgrade when s_server finished a below-floor handshake with any client that decides in default mode, else pass", () => {
    const deciders = CLIENTS.filter((c) => c.target.key === key && c.client !== 'strict').map((c) => rowOf(c, '1.2'));
    expect(deciders.length).toBeGreaterThan(0);
    const finished = deciders.filter((r) => r.completed.length > 0);
    const why = finished.map((r) => `${r.client.label}: ${cells(r.completed)}`).join('; ') || 'none finished';
    expect(defaultVerdicts.get(key), why).toBe(finished.length > 0 ? 'downgrade' : 'pass');
  });
});

const TSHARK = onPath('tshark');
const haveTshark = requiredOnCi('tshark', TSHARK !== undefined, 'apt-get install tshark (.ci/run does)');

describe('the wire (tshark) corroborates s_server', () => {
  it.skipIf(!haveTshark)(
    "/usr/bin/python3's default client against s_server -tls1 with static RSA: a TLS 1.0 ServerHello with a static-RSA suite, then application data both ways",
    async () => {
      const [tls1, kRSA] = [VERSIONS[0], FAMILIES[0]];
      expect([tls1.name, kRSA.id]).toEqual(['TLSv1', 'kRSA']);
      const server = await startServer(pki, tls1, kRSA);
      const client = path.join(import.meta.dirname, 'truth_client.py');
      const wire = await captured(TSHARK as string, server.port, () =>
        promisify(execFile)(DEBIAN_PYTHON, [client, 'default', pki.ca, String(server.port)], { timeout: 30_000 }),
      );
      expect((await server.finish(3_000)).completed).toBe(true);
      // The suites s_server may pick here, as IANA numbers: `openssl ciphers -V` prints "0x00,0x35 - AES256-SHA ...".
      const suites = execFileSync(OPENSSL, ['ciphers', '-V', '-s', '-tls1', `${kRSA.cipher}:@SECLEVEL=0`], {
        encoding: 'utf8',
      })
        .split('\n')
        .map((l) => /0x([0-9A-F]{2}),0x([0-9A-F]{2})/.exec(l))
        .filter((m) => m !== null)
        .map((m) => `0x${m[1]}${m[2]}`.toLowerCase());
      expect(wire.version).toBe('0x0301');
      expect(suites).toContain(wire.suite);
      expect(wire.dataBothWays).toBe(true);
    },
  );
});

function printTables(): void {
  const rows = CLIENTS.flatMap((client) => FLOORS.map((floor) => rowOf(client, floor)));
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)}: s_server ${versionLine(OPENSSL, ['version']).split(' ')[1]} pinned to each version and family; action: dist/index.js on Node.js 24 (probe-mode both, each client's own outcome).`,
    '',
    '| client | floor | truth: below-floor handshakes s_server finished | ServerHello sent, then refused by the client | action | agrees |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.client.label} | ${r.floor} | ${cells(r.completed)} | ${cells(r.refusedAfterHello)} | ${r.action} | ${r.action === r.expected ? 'yes' : `**no** (expected ${r.expected})`} |`,
    ),
  ];
  console.log(lines.join('\n'));
  console.log([...defaultVerdicts].map(([key, v]) => `probe-mode default, floor 1.2, ${key}: verdict ${v}`).join('\n'));
  // Every cell, for a case that surprises: F finished, H ServerHello then refused, - no ServerHello (why).
  const matrix = CLIENTS.flatMap((client) =>
    VERSIONS.map((v) => {
      const row = (truth.get(client.label) ?? []).filter((c) => c.version === v.name);
      const mark = (c: Cell) => (c.completed ? 'F' : c.hello ? `H(${c.why})` : `-(${c.why})`);
      return `${client.label.padEnd(48)} ${v.label}: ${row.map((c) => `${c.family}=${mark(c)}`).join(' ')}`;
    }),
  );
  console.log(matrix.join('\n'));
  const file = process.env['DIFFERENTIAL_TABLE'];
  if (file) writeFileSync(file, `${docsTable().join('\n')}\n`);
}

/** One row per client, both floors: the form docs/clients.md carries ($DIFFERENTIAL_CODE names the code the action column ran). */
function docsTable(): string[] {
  const code = process.env['DIFFERENTIAL_CODE'] ?? 'this tree';
  const verdict = (r: Row) => (r.action === r.expected ? r.action : `**${r.action}** (false ${r.action})`);
  return [
    `| client | floor 1.2: s_server finished below the floor | action (${code}) | floor 1.3: s_server finished below the floor | action (${code}) |`,
    '| --- | --- | --- | --- | --- |',
    ...CLIENTS.map((client) => {
      const [low, high] = FLOORS.map((floor) => rowOf(client, floor)) as [Row, Row];
      return `| ${client.label} | ${compact(low)} | ${verdict(low)} | ${compact(high)} | ${verdict(high)} |`;
    }),
  ];
}

/** "every family at TLS 1.0, 1.1", or the families finished, with the ones refused only after the ServerHello. */
function compact(row: Row): string {
  const versions = belowFloor(row.floor).map((v) => version(v).replace('TLS ', ''));
  const every = row.completed.length === versions.length * FAMILIES.length;
  const finished = every ? `every family at TLS ${versions.join(', ')}` : cells(row.completed);
  return row.refusedAfterHello.length
    ? `${finished} (ServerHello, then refused: ${cells(row.refusedAfterHello)})`
    : finished;
}
