import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientLimits, type ClientRun, ClientStartError } from '../../src/probe/clients/client.js';
import { ScriptClient, type ScriptDescription } from '../../src/probe/clients/script_client.js';
import { classifyTlsText } from '../../src/probe/clients/tls_errors.js';
import type { ObservedServer } from '../../src/probe/handshake.js';
import { PERMISSIVE_CIPHERS } from '../../src/shared/ciphers.js';
import { ROOT } from '../fixtures/action.js';
import { systemPython } from '../fixtures/interpreters.js';
import { childProcesses } from '../fixtures/processes.js';

// The one runner every script client shares, with fake scripts run by real interpreters: what
// it sends, what it accepts, and what it makes of a script that does not keep to the format.

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const python = systemPython();

/** A description of a client whose script is `text`, run by `program` (python3 unless said). */
function fake(
  text: string,
  program = python,
  args = (script: string) => ['-c', script],
): ScriptDescription<Record<string, unknown>> {
  return {
    name: 'the fake client',
    program,
    args,
    script: () => text,
    clientCount: 2,
    what: 'fake interpreter',
    advice: 'give a fake interpreter.',
    fatal: (kind, detail) => new ClientStartError(`${program} said ${kind} (${detail})`, 'it cannot probe.'),
    runtime: (runtime) => ({ kind: 'fake', path: program, version: '1', tlsLibrary: 'none', details: runtime }),
    role: (name) => (name === 'extra' ? { mode: 'default', optional: true } : { mode: name as 'default' | 'strict' }),
  };
}

const server = (id: string, port: number): ObservedServer => ({
  id,
  port,
  role: id === 'modern' ? 'modern' : 'legacy',
  versions: [],
  seen: [],
  settled: async () => undefined,
});

async function runOnce(description: ScriptDescription<Record<string, unknown>>): Promise<ClientRun> {
  const abort = new AbortController();
  const limits: ClientLimits = { handshakeTimeoutMs: 2500, serverCount: 2, signal: abort.signal };
  try {
    return await new ScriptClient(description)
      .start(limits)
      .run({ servers: [server('modern', 4431), server('TLSv1', 4432)], caFile: '/tmp/ca.pem' });
  } finally {
    abort.abort();
  }
}

const failure = (description: ScriptDescription<Record<string, unknown>>) =>
  runOnce(description).then(
    () => undefined,
    (e: unknown) => e,
  );

describe('the script client runner', () => {
  it('sends the one job format and reads the one result format', async () => {
    const run = await runOnce(
      fake(`
import json, sys
job = json.loads(sys.stdin.read())
hs = [{"server": t["id"], "client": c, "outcome": "tls", "reason": r, "error": None, "ports": [40000 + i, 0]}
      for c, r in (("default", "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION"), ("strict", "CERT_HAS_EXPIRED"))
      for i, t in enumerate(job["targets"])]
print(json.dumps({"runtime": {"job": job}, "clients": {"default": {"ciphers": "x"}, "strict": {}, "extra": {"error": "not here"}},
                  "handshakes": hs}))
`),
    );
    expect(run.runtime.details['job']).toEqual({
      caFile: '/tmp/ca.pem',
      timeoutMs: 2500,
      strictCiphers: PERMISSIVE_CIPHERS,
      targets: [
        { id: 'modern', port: 4431 },
        { id: 'TLSv1', port: 4432 },
      ],
    });
    expect(run.clients).toEqual([
      { name: 'default', settings: { ciphers: 'x' }, ran: true, mode: 'default' },
      { name: 'strict', settings: {}, ran: true, mode: 'strict' },
      { name: 'extra', settings: {}, ran: false, skipped: 'not here', mode: 'default', optional: true },
    ]);
    // 'tls' is judged by the one list (classifyTlsText); nulls and bad ports are dropped.
    expect(run.handshakes[0]).toEqual({
      server: 'modern',
      client: 'default',
      outcome: 'refused',
      reason: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      ports: [40000],
    });
    expect(run.handshakes[3]).toMatchObject({ server: 'TLSv1', client: 'strict', outcome: 'certificate' });
  });

  it.each<[string, string, RegExp]>([
    ['prints nothing', 'import sys; sys.stdin.read()', /^\/.* is not a usable fake interpreter \(exit 0: \)\.$/],
    [
      'exits non-zero with a traceback',
      'import sys; sys.stdin.read(); raise SystemExit("boom: no job for me")',
      /is not a usable fake interpreter \(exit 1: boom: no job for me\)\.$/,
    ],
    ['prints something that is not JSON', 'print("hello")', /is not a usable fake interpreter \(exit 0: hello\)\.$/],
    ['prints a JSON list', 'print("[]")', /is not a usable fake interpreter \(its report is not a JSON object\)\.$/],
    [
      'prints a report without handshakes',
      'print(\'{"runtime": {}, "clients": {}}\')',
      /\(its report has no handshakes\)\.$/,
    ],
    [
      'prints a report without clients',
      'print(\'{"runtime": {}, "handshakes": []}\')',
      /\(its report has no clients\)\.$/,
    ],
    [
      'prints a handshake with an outcome the format does not have',
      'print(\'{"runtime": {}, "clients": {}, "handshakes": [{"server": "modern", "client": "default", "outcome": "fine"}]}\')',
      /\(its report has a handshake \(#1\) without a server, a client and a known outcome\)\.$/,
    ],
  ])('a script that %s: a ClientStartError naming the program, no input', async (_name, text, message) => {
    const error = await failure(fake(text));
    expect(error).toBeInstanceOf(ClientStartError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/python-path|client-path/);
  });

  it('a fatal report: the description says what it means', async () => {
    const error = await failure(fake('print(\'{"fatal": "too-old", "detail": "Fake 0.1"}\')'));
    expect(error).toBeInstanceOf(ClientStartError);
    expect((error as ClientStartError).reason).toBe(`${python} said too-old (Fake 0.1)`);
    expect((error as Error).message).toBe(`${python} said too-old (Fake 0.1); it cannot probe.`);
  });

  it('a program that cannot be started: the reason and the advice', async () => {
    const error = await failure(fake('', '/nonexistent/fake'));
    expect(error).toBeInstanceOf(ClientStartError);
    expect((error as Error).message).toBe('cannot run /nonexistent/fake (ENOENT); give a fake interpreter.');
  });

  it('the same runner for another language: a Node.js script', async () => {
    const run = await runOnce(
      fake(
        `let s = ''; process.stdin.on('data', (c) => (s += c)).on('end', () => {
           const job = JSON.parse(s);
           const handshakes = job.targets.map((t) => ({ server: t.id, client: 'default', outcome: 'tls', reason: 'ECONNRESET' }));
           process.stdout.write(JSON.stringify({ runtime: { node: process.version }, clients: { default: {} }, handshakes }));
         });`,
        process.execPath,
        (script) => ['-e', script],
      ),
    );
    expect(run.handshakes.map((h) => h.outcome)).toEqual(['network', 'network']);
  });
});

describe('one list for every client, in every language', () => {
  const scripts = ['probe/clients/python_probe.py', 'probe/clients/node_probe.cjs', 'shared/python_facts.py'].map(
    (f) => [f, readFileSync(path.join(ROOT, 'src', f), 'utf8')],
  );

  it.each(scripts)('%s keeps no refusal or certificate list and no cipher string of its own', (_name, text) => {
    for (const word of [
      /PROTOCOL_VERSION/i,
      /NO_SHARED_CIPHER/i,
      /UNKNOWN_CA/i,
      /SELF_SIGNED/i,
      /ECONNRESET/,
      /SECLEVEL/,
    ]) {
      expect(text).not.toMatch(word);
    }
  });
});

describe('the one list judges what Node.js reports as node_probe.cjs did with a list of its own', () => {
  // Codes node_probe.cjs classified itself before it reported them raw.
  it.each([
    [
      'certificate',
      [
        'CERT_HAS_EXPIRED',
        'CERT_NOT_YET_VALID',
        'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        'UNABLE_TO_GET_ISSUER_CERT',
        'DEPTH_ZERO_SELF_SIGNED_CERT',
        'SELF_SIGNED_CERT_IN_CHAIN',
        'ERR_TLS_CERT_ALTNAME_INVALID',
        'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
        'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
        'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
      ],
    ],
    [
      'network',
      ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SSL_UNEXPECTED_EOF_WHILE_READING'],
    ],
    [
      'refused',
      [
        'ERR_SSL_UNSUPPORTED_PROTOCOL',
        'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
        'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
        'ERR_SSL_WRONG_VERSION_NUMBER',
        'ERR_SSL_NO_SHARED_CIPHER',
        'ERR_SSL_NO_CIPHERS_AVAILABLE',
        'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
        'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED',
        'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY',
        'ERR_SSL_DH_KEY_TOO_SMALL',
        'ERR_SSL_EE_KEY_TOO_SMALL',
        'ERR_SSL_CA_MD_TOO_WEAK',
      ],
    ],
    [
      'error',
      [
        'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR',
        'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
        'ERR_SSL_HTTP_REQUEST',
        'ETIMEDOUT',
        '',
      ],
    ],
  ])('%s', (outcome, codes) => {
    expect(Object.fromEntries(codes.map((c) => [c, classifyTlsText(c).outcome]))).toEqual(
      Object.fromEntries(codes.map((c) => [c, outcome])),
    );
  });
});
