import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClient } from '../../src/action/client_choice.js';
import { type ProbeMode, readInputs } from '../../src/inputs/inputs.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import type { ClientRun, ProbeClient } from '../../src/probe/clients/client.js';
import type { ObservedServer } from '../../src/probe/handshake.js';
import { runProbe } from '../../src/probe/probe.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';
import { requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The java, go, ruby and php client kinds with the machine's real runtimes (installed by .ci/run:
// openjdk-17-jdk-headless, golang-go, ruby, php-cli, php-curl). Each kind's verdict, per probe-mode
// at floor 1.2, is held to the truth measured with the same runtime's program against OpenSSL's
// own s_server (not this project's servers), pinned to TLS 1.0 and to TLS 1.1 in each family.

const RUNTIMES = {
  java: requireTool('java'),
  go: requireTool('go'),
  ruby: requireTool('ruby'),
  php: requireTool('php'),
};
type Kind = keyof typeof RUNTIMES;
const KINDS = Object.keys(RUNTIMES) as Kind[];
const OPENSSL = requireTool('openssl');

const work = temporaryFolder('runtimes-');
// The probe programs (the Java class, the Go binary) are built under RUNNER_TEMP: this file's own.
const previousRunnerTemp = process.env['RUNNER_TEMP'];
process.env['RUNNER_TEMP'] = work;
afterAll(() => {
  if (previousRunnerTemp === undefined) delete process.env['RUNNER_TEMP'];
  else process.env['RUNNER_TEMP'] = previousRunnerTemp;
});

/** The JDK's own jdk.tls.disabledAlgorithms (its conf/security/java.security), continuation lines joined. */
function stockDisabledAlgorithms(): string {
  // -XshowSettings writes to stderr.
  const shown = spawnSync(RUNTIMES.java, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' }).stderr;
  const home = /java\.home = (.*)/.exec(shown)?.[1]?.trim() ?? '';
  const file = readFileSync(path.join(home, 'conf', 'security', 'java.security'), 'utf8').replace(/\\\n\s*/g, '');
  return /^jdk\.tls\.disabledAlgorithms=(.*)$/m.exec(file)?.[1] ?? '';
}

/** php without php.ini (so without its shared curl extension): the file_get_contents client. */
function phpWithoutCurl(): string {
  const wrapper = path.join(work, 'php-n');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${RUNTIMES.php}' -n "$@"\n`, { mode: 0o755 });
  return wrapper;
}

/**
 * A java.security override as an enterprise ships one to reach legacy systems: the JDK's own
 * jdk.tls.disabledAlgorithms without TLSv1 and TLSv1.1 (everything else kept), named by
 * -Djava.security.properties in a client-path wrapper script.
 */
function weakenedJava(): string {
  const stock = stockDisabledAlgorithms();
  expect(stock).toMatch(/\bTLSv1\.1\b/);
  const kept = stock
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== 'TLSv1' && a !== 'TLSv1.1');
  const properties = path.join(work, 'java.security.legacy');
  writeFileSync(properties, `jdk.tls.disabledAlgorithms=${kept.join(', ')}\n`);
  const wrapper = path.join(work, 'java-legacy');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${RUNTIMES.java}' '-Djava.security.properties=${properties}' "$@"\n`, {
    mode: 0o755,
  });
  return wrapper;
}

/** The client the action picks for these inputs (as main does). */
async function clientFor(kind: Kind, clientPath?: string): Promise<ProbeClient> {
  const inputs: Record<string, string> = { client: kind, ...(clientPath ? { 'client-path': clientPath } : {}) };
  return (await resolveClient(await readInputs((name) => inputs[name] ?? ''))).client;
}

/** One two-phase probe at floor 1.2; the verdict as each probe-mode decides it. */
async function probe(client: ProbeClient) {
  const observation = await runProbe(client, { floor: '1.2', handshakeTimeoutMs: 8000, probeTimeoutMs: 120_000 });
  for (const server of observation.servers) expect(await isClosed(server.port)).toBe(true);
  const verdict = (mode: ProbeMode) =>
    decideVerdict({
      floor: '1.2',
      servers: observation.servers,
      deciders: decidingClients(mode, observation.clients),
      handshakes: observation.handshakes,
      serverRecords: observation.serverRecords,
    }).verdict;
  return { observation, verdict };
}

// --- the truth: OpenSSL's s_server in every family, at TLS 1.0 and 1.1 ---------------------------

const FAMILIES = {
  'static-rsa': { cert: 'rsa', ciphers: 'kRSA' },
  'ecdhe-rsa': { cert: 'rsa', ciphers: 'kECDHE+aRSA' },
  'dhe-rsa': { cert: 'rsa', ciphers: 'kDHE+aRSA' },
  'ecdhe-ecdsa': { cert: 'ec', ciphers: 'kECDHE+aECDSA' },
} as const;
const VERSIONS = { TLSv1: '-tls1', 'TLSv1.1': '-tls1_1' } as const;

interface Independent {
  id: string;
  port: number;
  process: ChildProcess;
}
const independents: Independent[] = [];
let caFile = '';

function makeCertificates(): void {
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: work, stdio: 'ignore' });
  writeFileSync(path.join(work, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=independent CA',
  );
  for (const [name, key] of [
    ['rsa', ['-newkey', 'rsa:2048']],
    ['ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
  ] as const) {
    run('req', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost');
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
  }
  caFile = path.join(work, 'ca.pem');
}

/** s_server pinned to one version, offering one family at security level 0; resolves when it listens. */
function startIndependent(
  id: string,
  version: string,
  family: (typeof FAMILIES)[keyof typeof FAMILIES],
): Promise<Independent> {
  return new Promise((resolve, reject) => {
    const args = ['s_server', '-accept', '127.0.0.1:0', version, '-cipher', `${family.ciphers}:@SECLEVEL=0`];
    args.push('-cert', path.join(work, `${family.cert}.pem`), '-key', path.join(work, `${family.cert}.key`), '-www');
    const child = spawn(OPENSSL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s_server ${id} did not listen: ${out}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /ACCEPT[^\n]*:(\d+)/.exec(out)?.[1];
      if (port && out.length < 10_000) {
        clearTimeout(timer);
        resolve({ id, port: Number(port), process: child });
        out = '\0'.repeat(10_000); // listening: ignore the rest
      }
    });
    child.stderr.on('data', () => undefined);
  });
}

/** What the runtime's own program did with every independent server (the client as the action starts it). */
async function measure(client: ProbeClient): Promise<ClientRun> {
  const controller = new AbortController();
  const started = client.start({
    handshakeTimeoutMs: 8000,
    serverCount: independents.length,
    signal: controller.signal,
  });
  // The programs read only each server's id and port.
  const servers = independents.map((s) => ({ id: s.id, port: s.port }) as unknown as ObservedServer);
  return started.run({ servers, caFile });
}

/** The truth at floor 1.2 for the clients deciding in `mode`: downgrade where any completed below it. */
function truth(run: ClientRun, mode: 'default' | 'strict'): { verdict: 'downgrade' | 'pass'; completed: string[] } {
  const deciding = new Set(run.clients.filter((c) => c.mode === mode).map((c) => c.name));
  const completed = run.handshakes
    .filter((h) => deciding.has(h.client) && h.outcome === 'connected')
    .map((h) => `${h.client} ${h.server}`);
  return { verdict: completed.length > 0 ? 'downgrade' : 'pass', completed };
}

beforeAll(async () => {
  makeCertificates();
  for (const [family, spec] of Object.entries(FAMILIES))
    for (const [version, flag] of Object.entries(VERSIONS))
      independents.push(await startIndependent(`${family} ${version}`, flag, spec));
}, 60_000);

afterAll(() => {
  for (const s of independents) s.process.kill();
});

// Measured on this machine (Debian 12) against s_server: which default clients complete a
// below-floor handshake, in which family. The action's verdict must be the same.
// Before issue 27's legacy servers in every family (ECDHE-ECDSA only), ruby's and php's defaults
// refused only the SHA-1 signature after accepting TLS 1.0, and the action said pass where the
// truth is downgrade (static RSA): every case below failed for them then, and agrees now.

// Java with a java.security override (client-path: a wrapper script); Go with Go 1.18's client
// knob in GODEBUG (tls10default=1, removed in Go 1.19: crypto/tls has no GODEBUG for the client's
// minimum since), which the program runs with as a job's environment would set it.
const LEGACY_JAVA = 'java (java.security without TLSv1, TLSv1.1)';
const GODEBUG_GO = 'go (GODEBUG=tls10default=1)';
// PHP without its curl extension (php -n: no php.ini, so no shared extension): file_get_contents.
const STREAM_PHP = 'php (file_get_contents, php -n)';

const cases: Array<[string, Kind, string | undefined, 'default' | 'strict']> = [];
for (const kind of KINDS)
  for (const mode of ['default', 'strict'] as const) cases.push([`${kind} ${mode}`, kind, undefined, mode]);
for (const mode of ['default', 'strict'] as const) {
  cases.push([`${LEGACY_JAVA} ${mode}`, 'java', 'legacy', mode]);
  cases.push([`${GODEBUG_GO} ${mode}`, 'go', 'godebug', mode]);
  cases.push([`${STREAM_PHP} ${mode}`, 'php', 'stream', mode]);
}

describe('each runtime: both phases in both modes, its version and its floor setting named', () => {
  const expectations: Record<Kind, { version: RegExp; floor: RegExp; clients: string[] }> = {
    java: {
      version: /^Java 1[1-9]|^Java 2\d/,
      floor: /jdk\.tls\.disabledAlgorithms: .*TLSv1\.1/,
      clients: ['default', 'urlconnection', 'strict'],
    },
    go: { version: /^Go 1\.\d+/, floor: /GODEBUG: not set/, clients: ['default', 'strict'] },
    ruby: { version: /^Ruby \d/, floor: /^OpenSSL 3\..* with \/\S+openssl\.cnf/, clients: ['default', 'strict'] },
    php: { version: /^PHP \d/, floor: /OpenSSL\/3\..* with \/\S+openssl\.cnf/, clients: ['default', 'strict'] },
  };
  it.each(KINDS)(
    '%s',
    async (kind) => {
      const { observation } = await probe(await clientFor(kind));
      const e = expectations[kind];
      expect(observation.runtime.kind).toBe(kind);
      expect(observation.runtime.version).toMatch(e.version);
      expect(String(observation.runtime.details['floorSetting'])).toMatch(e.floor);
      expect(observation.clients.map((c) => [c.name, c.ran])).toEqual(e.clients.map((c) => [c, true]));
      expect(observation.clients.map((c) => c.mode)).toEqual(
        e.clients.map((c) => (c === 'strict' ? 'strict' : 'default')),
      );
      for (const client of e.clients) {
        // Phase 1: the modern server, corroborated by its own record.
        const modern = observation.handshakes.find((h) => h.server === 'modern' && h.client === client);
        expect(modern, `${kind} ${client}`).toMatchObject({ outcome: 'connected' });
        expect(modern?.ports?.length).toBe(1);
        // Phase 2: every legacy server answered with evidence (a completed handshake or a refusal), on a known port.
        for (const server of ['TLSv1', 'TLSv1.1']) {
          const h = observation.handshakes.find((x) => x.server === server && x.client === client);
          expect(['connected', 'refused'], `${kind} ${client} ${server}: ${h?.error}`).toContain(h?.outcome);
          expect(h?.ports?.length).toBe(1);
        }
      }
    },
    180_000,
  );
});

describe("the action's verdict agrees with s_server's truth in every family (floor 1.2)", () => {
  let legacyJava = '';
  const truths = new Map<string, ReturnType<typeof truth>>();
  const verdicts = new Map<string, string>();
  beforeAll(async () => {
    legacyJava = weakenedJava();
    const variants = [
      ...KINDS.map((k) => [k, k, undefined] as const),
      [LEGACY_JAVA, 'java', 'legacy'] as const,
      [GODEBUG_GO, 'go', 'godebug'] as const,
      [STREAM_PHP, 'php', 'stream'] as const,
    ];
    const paths: Record<string, string> = { legacy: legacyJava, stream: phpWithoutCurl() };
    for (const [name, kind, variant] of variants) {
      const clientPath = variant ? paths[variant] : undefined;
      if (variant === 'godebug') process.env['GODEBUG'] = 'tls10default=1';
      try {
        const measured = await measure(await clientFor(kind, clientPath));
        const { observation, verdict } = await probe(await clientFor(kind, clientPath));
        if (variant === 'godebug') expect(observation.runtime.details['GODEBUG']).toBe('tls10default=1');
        if (variant === 'stream') {
          expect(observation.runtime.details['client']).toBe('file_get_contents over https://');
          // Its own port chosen, every handshake corroborated, the modern one completed.
          expect(observation.handshakes.every((h) => h.client === 'control' || h.ports?.length === 1)).toBe(true);
          expect(observation.handshakes.find((h) => h.server === 'modern' && h.client === 'default')?.outcome).toBe(
            'connected',
          );
        }
        for (const mode of ['default', 'strict'] as const) {
          truths.set(`${name} ${mode}`, truth(measured, mode));
          verdicts.set(`${name} ${mode}`, verdict(mode));
        }
      } finally {
        delete process.env['GODEBUG'];
      }
    }
  }, 600_000);

  afterAll(() => {
    // The measured table (docs/clients.md): each case, the truth and what completed.
    const lines = cases.map(
      ([name]) =>
        `${name}: truth ${truths.get(name)?.verdict} (${truths.get(name)?.completed.join(', ') || 'nothing completed'}), action ${verdicts.get(name)}`,
    );
    console.log(lines.join('\n'));
    expect(childProcesses().filter((p) => !/openssl/.test(p))).toEqual([]);
  });

  for (const [name] of cases) {
    it(name, () => {
      expect(verdicts.get(name)).toBe(truths.get(name)?.verdict);
    });
  }

  it('the stock JDK passes where its java.security override re-enabling TLSv1 is a downgrade', () => {
    expect(truths.get('java default')?.verdict).toBe('pass');
    expect(verdicts.get('java default')).toBe('pass');
    expect(truths.get(`${LEGACY_JAVA} default`)?.verdict).toBe('downgrade');
    expect(verdicts.get(`${LEGACY_JAVA} default`)).toBe('downgrade');
  });

  it("Go's default passes where a tls.Config asking for TLS 1.0 (strict) is a downgrade", () => {
    expect(verdicts.get('go default')).toBe('pass');
    expect(verdicts.get('go strict')).toBe('downgrade');
  });

  it.skipIf(!/^go version go1\.(19|[2-9]\d)/.test(execFileSync(RUNTIMES.go, ['version'], { encoding: 'utf8' })))(
    "Go 1.19 on: GODEBUG has no client knob; Go 1.18's tls10default=1 leaves the default's floor where it was",
    () => {
      expect(truths.get(`${GODEBUG_GO} default`)?.verdict).toBe('pass');
      expect(verdicts.get(`${GODEBUG_GO} default`)).toBe('pass');
    },
  );
});
