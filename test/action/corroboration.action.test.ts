import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { forgedPython, pythonWithSitecustomize } from '../fixtures/interpreters.js';
import { childProcesses } from '../fixtures/processes.js';
import { requiredOnCi, requireTool, versionLine } from '../fixtures/requirements.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

// An ssl module that completes a TLS 1.0/1.1 handshake, closes it and says the version was refused.
const HIDING_SSL = `import ssl
_wrap = ssl.SSLContext.wrap_socket
def wrap_socket(self, *args, **kwargs):
    sock = _wrap(self, *args, **kwargs)
    if sock.version() in ("TLSv1", "TLSv1.1"):
        sock.close()
        raise ssl.SSLError(1, "[SSL: UNSUPPORTED_PROTOCOL] unsupported protocol (_ssl.c:1000)")
    return sock
ssl.SSLContext.wrap_socket = wrap_socket
`;

// Inputs given in full: runAction does not inject action.yml's defaults (yet).
const base = { 'min-tls-version': '1.2', 'fail-on-downgrade': 'true' };

function report(run: { outputs: Record<string, string> }) {
  return JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
}

describe("a client's word is not evidence: every handshake is matched with the server's record", () => {
  it('a Python whose ssl hides a completed TLS 1.0 handshake behind a protocol-version error: downgrade', async () => {
    const python = pythonWithSitecustomize('python-hiding', HIDING_SSL);
    const run = await runAction({ ...base, 'python-path': python, 'probe-mode': 'strict' });
    expect(run.outputs['verdict']).toBe('downgrade');
    expect(run.code).not.toBe(0);
    const cell = report(run).handshakes.find(
      (h: { server: string; client: string }) => h.server === 'TLSv1' && h.client === 'strict',
    );
    expect(cell).toMatchObject({
      outcome: 'connected',
      version: 'TLSv1',
      agreement: 'contradicted',
      clientSaid: { outcome: 'refused', reason: 'UNSUPPORTED_PROTOCOL' },
      serverSaw: [{ completed: true, version: 'TLSv1', hello: true }],
    });
    expect(run.stdout).toMatch(
      /::error::tls-floor: downgrade: The strict client completed a handshake with the TLSv1-only server .*the client reported refused \(UNSUPPORTED_PROTOCOL\), but the server completed a TLSv1 handshake/,
    );
    expect(run.summary).toMatch(/^\| TLSv1 only \| reached TLSv1 \| .*❌ TLSv1 \|/m);
    expect(run.summary).toMatch(
      /`TLSv1` × `strict`: client said refused UNSUPPORTED_PROTOCOL .*; server saw completed TLSv1 .*; counted connected \(contradicted\)/,
    );
  });

  it.each<[string, string]>([
    ['no clients and no handshakes', '{"clients": {}, "handshakes": []}'],
    ['two clients and no handshakes', '{"clients": {"default": {}, "strict": {}}, "handshakes": []}'],
    [
      'a clean run it never made (connected to modern, refused by every legacy server, no connection)',
      '{"clients": {"default": {}, "strict": {}}, "handshakes": [dict(client=c, server=t["id"], ' +
        'outcome="connected" if t["id"] == "modern" else "tls", version="TLSv1.3" if t["id"] == "modern" else None, ' +
        'reason=None if t["id"] == "modern" else "UNSUPPORTED_PROTOCOL", ports=[40000 + i]) ' +
        'for c in ("default", "strict") for i, t in enumerate(job["targets"])]}',
    ],
  ])('a python-path that prints a well-formed report with %s: inconclusive', async (_name, forge) => {
    const run = await runAction({ ...base, 'python-path': forgedPython('python-forged', forge), 'probe-mode': 'both' });
    expect(run.outputs['verdict']).toBe('inconclusive');
    expect(run.code).not.toBe(0);
    expect(run.stdout).not.toMatch(/Every deciding client/);
    expect(run.stdout).toMatch(/^::error::tls-floor: inconclusive/m);
  });
});

requireTool('curl');
const curlOnOpenssl3 = requiredOnCi(
  'curl on OpenSSL 3',
  /OpenSSL\/3\./.test(versionLine('curl', ['--version'])),
  'curl --version names another TLS library',
);

describe('fail-on-downgrade: false tolerates a downgrade, never broken or inconclusive', () => {
  it('client: command, client-command: true (no server ever sees a handshake): the job fails', async () => {
    const run = await runAction({ ...base, client: 'command', 'client-command': 'true', 'fail-on-downgrade': 'false' });
    expect(run.code).not.toBe(0);
    expect(run.outputs['verdict']).toBe('inconclusive');
    expect(run.stdout).toMatch(/^::error::tls-floor: inconclusive: /m);
    expect(run.stdout).not.toMatch(/::warning::Downgrade/);
  });

  it.skipIf(!curlOnOpenssl3)(
    'a downgrade beside a broken modern handshake fails the job, and the failure line names both',
    async () => {
      // TLS 1.0 only: completes with the TLSv1 server (downgrade), cannot reach the modern one (broken).
      const command =
        'curl -q -sS -o /dev/null --noproxy * --tlsv1.0 --tls-max 1.0 --ciphers ALL:@SECLEVEL=0 --cacert {ca} {url}';
      const run = await runAction({
        ...base,
        client: 'command',
        'client-command': command,
        'fail-on-downgrade': 'false',
      });
      expect(run.outputs['verdict']).toBe('downgrade');
      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(/^::error::tls-floor: downgrade \(also broken\): /m);
      expect(run.summary).toMatch(/^### tls-floor: ❌ downgrade \(also broken\)/);
      expect(
        report(run)
          .findings.map((f: { verdict: string }) => f.verdict)
          .sort(),
      ).toEqual(['broken', 'downgrade']);
    },
  );

  it.skipIf(!curlOnOpenssl3)(
    'a downgrade alone, with fail-on-downgrade: false, is reported and lets the job go on',
    async () => {
      const command = 'curl -q -sS -o /dev/null --noproxy * --tlsv1.0 --ciphers ALL:@SECLEVEL=0 --cacert {ca} {url}';
      const run = await runAction({
        ...base,
        client: 'command',
        'client-command': command,
        'fail-on-downgrade': 'false',
      });
      expect([run.code, run.outputs['verdict']]).toEqual([0, 'downgrade']);
      expect(run.stdout).toMatch(/::warning::Downgrade \(fail-on-downgrade is false\)/);
    },
  );
});
