import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveClient } from '../../src/action/client_choice.js';
import { type ProbeMode, readInputs } from '../../src/inputs/inputs.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import { decideVerdict } from '../../src/judgement/verdict.js';
import type { ProbeClient } from '../../src/probe/clients/client.js';
import { PythonClient } from '../../src/probe/clients/python.js';
import { runProbe } from '../../src/probe/probe.js';
import type { Floor } from '../../src/shared/floor.js';
import { wrappedPython } from '../fixtures/interpreters.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';
import { PYTHON_LIBS } from '../fixtures/python_libs.js';
import { optional, requiredOnCi, requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

/** The client the action picks for these inputs (as main does). */
async function clientFor(inputs: Record<string, string>): Promise<ProbeClient> {
  const selected = await resolveClient(await readInputs((name) => inputs[name] ?? ''));
  return selected.client;
}

async function probe(client: ProbeClient, floor: Floor, mode: ProbeMode) {
  const observation = await runProbe(client, { floor, handshakeTimeoutMs: 5000, probeTimeoutMs: 50000 });
  const deciders = decidingClients(mode, observation.clients);
  const result = decideVerdict({
    floor,
    servers: observation.servers,
    deciders,
    handshakes: observation.handshakes,
    serverRecords: observation.serverRecords,
  });
  for (const server of observation.servers) expect(await isClosed(server.port)).toBe(true);
  const cell = (server: string, client: string) =>
    observation.handshakes.find((h) => h.server === server && h.client === client);
  // What counted: the handshake with the server's record of it (the family, when the refusal came).
  const counted = (server: string, client: string) =>
    result.handshakes.find((h) => h.server === server && h.client === client);
  return { observation, result, deciders, cell, counted };
}

/** The TLS library a binary names in its version text ('OpenSSL/3.0.19', 'OpenSSL 3.0.19'). */
function versionText(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' });
  } catch {
    return '';
  }
}
requireTool('curl');
requireTool('openssl');
const curlOnOpenssl3 = requiredOnCi(
  'curl on OpenSSL 3',
  /OpenSSL\/3\./.test(versionText('curl', ['--version']).split('\n')[0] ?? ''),
  'curl --version names another TLS library',
);
const opensslIs3 = requiredOnCi(
  'openssl 3',
  /^OpenSSL 3\./.test(versionText('openssl', ['version'])),
  'openssl version is not OpenSSL 3',
);

describe("node: the machine's Node.js 20 (OpenSSL 3, tls.DEFAULT_MIN_VERSION TLSv1.2)", () => {
  it('is a downgrade in strict mode: minVersion TLSv1 at @SECLEVEL=0 completes TLS 1.0', async () => {
    const { observation, result, cell } = await probe(await clientFor({ client: 'node' }), '1.2', 'strict');
    expect(result.verdict).toBe('downgrade');
    expect(cell('TLSv1', 'strict')).toMatchObject({ outcome: 'connected', version: 'TLSv1' });
    expect(cell('TLSv1.1', 'strict')).toMatchObject({ outcome: 'connected', version: 'TLSv1.1' });
    expect(observation.runtime).toMatchObject({
      kind: 'node',
      version: `Node.js ${process.versions.node}`,
      tlsLibrary: `OpenSSL ${process.versions.openssl}`,
    });
    expect(observation.runtime.details['DEFAULT_MIN_VERSION']).toBe('TLSv1.2');
  });

  it('passes in default mode: its default minimum (TLS 1.2) refuses both legacy servers with a protocol_version alert', async () => {
    const { result, cell } = await probe(
      await clientFor({ client: 'node', 'client-path': process.execPath }),
      '1.2',
      'default',
    );
    expect(result.verdict).toBe('pass');
    expect(result.negotiatedVersion).toBe('TLSv1.3');
    for (const v of ['TLSv1', 'TLSv1.1']) {
      expect(cell(v, 'control')?.outcome).toBe('connected');
      expect(cell(v, 'default')).toMatchObject({ outcome: 'refused', reason: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' });
    }
  });
});

// curl 7.88 on OpenSSL 3.0: the library's default security level (2 on Debian) forbids the
// SHA-1/MD5 signatures TLS 1.0/1.1 need, but not static RSA, which needs none: against
// openssl s_server -tls1 (-tls1_1) -cipher kRSA@SECLEVEL=0 its defaults complete TLS 1.0 and 1.1,
// and so they do against the legacy servers (issue 27; the old "pass (legacy sigalg)" was false).
describe.skipIf(!curlOnOpenssl3)("curl: the machine's curl on OpenSSL 3", () => {
  it('default: downgrade at a 1.2 floor (static RSA at TLS 1.0/1.1), downgrade at 1.3 (TLS 1.2 completes)', async () => {
    const at12 = await probe(await clientFor({ client: 'curl' }), '1.2', 'default');
    expect(at12.result.verdict).toBe('downgrade');
    expect(at12.cell('modern', 'default')).toMatchObject({ outcome: 'connected', version: 'TLSv1.3' });
    for (const v of ['TLSv1', 'TLSv1.1'])
      expect(at12.counted(v, 'default')).toMatchObject({ outcome: 'connected', version: v, family: 'static RSA' });
    expect(at12.observation.runtime).toMatchObject({
      kind: 'curl',
      version: expect.stringMatching(/^curl \d/),
      tlsLibrary: expect.stringMatching(/^OpenSSL\/3\./),
    });

    const at13 = await probe(await clientFor({ client: 'curl' }), '1.3', 'default');
    expect(at13.result.verdict).toBe('downgrade');
    expect(at13.cell('TLSv1.2', 'default')).toMatchObject({ outcome: 'connected', version: 'TLSv1.2' });
  });

  it('strict: downgrade (--tlsv1.0 --ciphers ALL:@SECLEVEL=0 completes TLS 1.0)', async () => {
    const { result, cell } = await probe(
      await clientFor({ client: 'curl', 'client-path': '/usr/bin/curl' }),
      '1.2',
      'strict',
    );
    expect(result.verdict).toBe('downgrade');
    expect(cell('TLSv1', 'strict')).toMatchObject({ outcome: 'connected', version: 'TLSv1' });
  });
});

// s_client follows the same library defaults: no MinProtocol in this machine's openssl.cnf,
// security level 2: TLS 1.0/1.1 complete with static RSA (no signature), as against
// openssl s_server -tls1 -cipher kRSA@SECLEVEL=0.
describe.skipIf(!opensslIs3)("openssl: the machine's openssl s_client (OpenSSL 3)", () => {
  it('default: downgrade at a 1.2 floor (static RSA at TLS 1.0/1.1), downgrade at 1.3', async () => {
    const at12 = await probe(await clientFor({ client: 'openssl' }), '1.2', 'default');
    expect(at12.result.verdict).toBe('downgrade');
    for (const v of ['TLSv1', 'TLSv1.1'])
      expect(at12.counted(v, 'default')).toMatchObject({ outcome: 'connected', version: v, family: 'static RSA' });
    expect(at12.observation.runtime).toMatchObject({
      kind: 'openssl',
      tlsLibrary: expect.stringMatching(/^OpenSSL 3\./),
    });
    const at13 = await probe(await clientFor({ client: 'openssl' }), '1.3', 'default');
    expect(at13.result.verdict).toBe('downgrade');
    expect(at13.cell('TLSv1.2', 'default')).toMatchObject({ outcome: 'connected', version: 'TLSv1.2' });
  });

  it('strict: downgrade (-min_protocol TLSv1 -cipher ALL:@SECLEVEL=0 completes TLS 1.0)', async () => {
    const { result, cell, counted } = await probe(await clientFor({ client: 'openssl' }), '1.2', 'both');
    expect(result.verdict).toBe('downgrade');
    expect(cell('TLSv1', 'strict')).toMatchObject({ outcome: 'connected', version: 'TLSv1' });
    expect(counted('TLSv1', 'default')).toMatchObject({ outcome: 'connected', family: 'static RSA' });
  });
});

describe("command: a user's command, judged by its exit code and the server's side", () => {
  const command = (template: string, shell = false) =>
    clientFor({ client: 'command', 'client-command': template, ...(shell ? { 'client-shell': 'true' } : {}) });

  it('a command that always exits 0 (no server sees a handshake) is inconclusive: its word is no evidence', async () => {
    const { result, cell, deciders } = await probe(await command('true'), '1.2', 'default');
    expect(deciders).toEqual(['command']);
    expect(result.verdict).toBe('inconclusive');
    expect(cell('TLSv1', 'command')).toMatchObject({
      outcome: 'connected',
      error: 'exit 0, but the server saw no completed handshake',
      ports: [],
    });
    expect(result.handshakes.find((h) => h.server === 'TLSv1' && h.client === 'command')).toMatchObject({
      outcome: 'unconfirmed',
      agreement: 'unseen',
    });
  });

  it('a command that always exits non-zero is broken', async () => {
    const { result, cell } = await probe(await command('false'), '1.2', 'strict');
    expect(result.verdict).toBe('broken');
    expect(cell('modern', 'command')).toMatchObject({
      outcome: 'error',
      error: expect.stringMatching(/^exit 1; the server saw no TLS handshake/),
    });
  });

  it.skipIf(!curlOnOpenssl3)(
    'curl through the template: downgrade, with the version and static-RSA suite the server completed',
    async () => {
      const { result, cell, counted } = await probe(
        await command('curl -q -sS -o /dev/null --noproxy * --cacert {ca} {url}'),
        '1.2',
        'both',
      );
      expect(result.verdict).toBe('downgrade');
      expect(cell('modern', 'command')).toMatchObject({ outcome: 'connected', version: 'TLSv1.3' });
      // As against openssl s_server -tls1 -cipher kRSA@SECLEVEL=0: curl's defaults complete it.
      expect(counted('TLSv1', 'command')).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1',
        family: 'static RSA',
      });
    },
  );

  it.skipIf(!curlOnOpenssl3)(
    'an RSA-only TLS 1.0 client (ECDHE-RSA and static RSA at security level 0) is a downgrade',
    async () => {
      const template =
        'curl -q -sS -o /dev/null --noproxy * --tlsv1.0 --ciphers ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0 --cacert {ca} {url}';
      const { result, cell } = await probe(await command(template), '1.2', 'default');
      expect(result.verdict).toBe('downgrade');
      expect(cell('TLSv1', 'command')).toMatchObject({ outcome: 'connected', version: 'TLSv1' });
      expect(result.findings.find((f) => f.server === 'TLSv1')?.message).toMatch(
        /TLSv1 with .*(static RSA|ECDHE-RSA)\)/,
      );
    },
  );

  it.skipIf(!curlOnOpenssl3)(
    'a TLS 1.0 client that only refuses the SHA-1 signature after the ServerHello is inconclusive, never pass',
    async () => {
      // ECDHE-ECDSA only, at the default security level: it accepts TLSv1, then refuses the signature.
      const template =
        'curl -q -sS -o /dev/null --noproxy * --tlsv1.0 --ciphers ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256 --cacert {ca} {url}';
      const { result, counted } = await probe(await command(template), '1.2', 'default');
      expect(result.verdict).toBe('inconclusive');
      expect(counted('TLSv1', 'command')).toMatchObject({
        outcome: 'refused',
        refusal: 'after-server-hello',
        serverHello: 'TLSv1',
      });
      expect(result.findings.find((f) => f.server === 'TLSv1')?.message).toMatch(
        /accepted the TLSv1-only server's TLSv1 ServerHello/,
      );
    },
  );

  it.skipIf(!curlOnOpenssl3)(
    'a shell command whose curl completes TLS 1.0 and then exits 1 is still a downgrade',
    async () => {
      const template =
        "curl -q -sS -o /dev/null --noproxy '*' --tlsv1.0 --ciphers 'ALL:@SECLEVEL=0' --cacert {ca} {url} && exit 1";
      const { result, cell } = await probe(await command(template, true), '1.2', 'default');
      expect(result.verdict).toBe('downgrade');
      expect(cell('TLSv1', 'command')).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1',
        error: expect.stringMatching(/^exit 1 after the server completed/),
      });
    },
  );
});

const debianPython = '/usr/bin/python3';
const urllib3Of = (python: string) =>
  versionText(python, ['-E', '-s', '-c', 'import urllib3; print(urllib3.__version__)']).trim();
// Its own urllib3, or the one the fetch script unpacked (python_libs.ts), put on its path.
const withUrllib3 = { importPath: [PYTHON_LIBS], libraries: ['urllib3'] as const };
const debianHasUrllib3 = optional(
  'urllib3',
  `${debianPython} cannot import urllib3 (Debian python3-urllib3 in ${PYTHON_LIBS}, or its own)`,
  urllib3Of(debianPython) !== '' || existsSync(path.join(PYTHON_LIBS, 'urllib3')),
);
// A real interpreter without urllib3, where the machine has one (pyenv's, but for 3.11.7 here).
const pyenvWithout = (() => {
  const root = process.env['PYENV_ROOT'] ?? `${process.env['HOME']}/.pyenv`;
  const versions = versionText('ls', [`${root}/versions`])
    .split('\n')
    .filter((v) => /^3\.(?:[6-9]|\d\d)\.\d+$/.test(v));
  return versions
    .map((v) => `${root}/versions/${v}/bin/python3`)
    .find((p) => urllib3Of(p) === '' && versionText(p, ['-c', 'print(1)']).trim() === '1');
})();

describe('urllib3: a third client inside the Python client', () => {
  it.skipIf(!debianHasUrllib3)(
    "runs where urllib3 imports (Debian python3-urllib3) and decides in default mode: downgrade (Debian's context has no minimum version)",
    async () => {
      const { observation, result, deciders, cell, counted } = await probe(
        new PythonClient(debianPython, withUrllib3),
        '1.2',
        'default',
      );
      expect(observation.clients.find((c) => c.name === 'urllib3')).toMatchObject({ ran: true, mode: 'default' });
      expect(deciders).toEqual(['default', 'urllib3']);
      expect(result.verdict).toBe('downgrade');
      expect(cell('modern', 'urllib3')).toMatchObject({ outcome: 'connected', version: 'TLSv1.3' });
      // Static RSA at TLS 1.0 and 1.1, as /usr/bin/python3's default context against openssl s_server.
      for (const v of ['TLSv1', 'TLSv1.1'])
        expect(counted(v, 'urllib3')).toMatchObject({ outcome: 'connected', version: v, family: 'static RSA' });
    },
  );

  it.skipIf(!debianHasUrllib3)('at a 1.3 floor urllib3 is a downgrade of its own: it completes TLS 1.2', async () => {
    const { result, cell } = await probe(new PythonClient(debianPython, withUrllib3), '1.3', 'default');
    expect(result.verdict).toBe('downgrade');
    expect(cell('TLSv1.2', 'urllib3')).toMatchObject({ outcome: 'connected', version: 'TLSv1.2' });
  });

  it('is reported as skipped, and decides nothing, where urllib3 cannot be imported', async () => {
    const python = wrappedPython('python-no-urllib3', "import sys; sys.modules['urllib3'] = None");
    const { observation, result, deciders } = await probe(
      new PythonClient(python, { libraries: ['urllib3'] }),
      '1.2',
      'both',
    );
    expect(observation.clients.find((c) => c.name === 'urllib3')).toMatchObject({
      ran: false,
      skipped: expect.stringMatching(/^urllib3 is not importable: ModuleNotFoundError/),
    });
    expect(observation.handshakes.filter((h) => h.client === 'urllib3')).toEqual([]);
    expect(deciders).toEqual(['default', 'strict']);
    expect(result.verdict).toBe('downgrade'); // strict, as before
  });

  it.skipIf(!optional('pyenv without urllib3', 'no pyenv interpreter 3.6+ lacking urllib3', !!pyenvWithout))(
    `is skipped in a real interpreter without urllib3 (${pyenvWithout})`,
    async () => {
      const { observation, deciders } = await probe(
        new PythonClient(pyenvWithout!, { libraries: ['urllib3'] }),
        '1.2',
        'default',
      );
      expect(observation.clients.find((c) => c.name === 'urllib3')).toMatchObject({
        ran: false,
        skipped: expect.stringMatching(/No module named 'urllib3'/),
      });
      expect(deciders).toEqual(['default']);
    },
  );
});

/** An executable wrapper script in a fresh folder (a client binary something has changed). */
function wrapper(name: string, files: Record<string, string>, script: string): string {
  const dir = temporaryFolder('tls-floor-wrap-');
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text.replaceAll('DIR', dir));
  const file = path.join(dir, name);
  writeFileSync(file, script.replaceAll('DIR', dir));
  chmodSync(file, 0o755);
  return file;
}

// One mechanism for every client kind: a client that hides a completed legacy handshake
// behind a refusal is held to the server's record, whichever kind it is.
describe('clients that hide a completed legacy handshake behind a refusal', () => {
  it('node: a preloaded module turns a TLS 1.0/1.1 secureConnect into a protocol_version error: downgrade', async () => {
    const hide = `const tls = require('tls');
const connect = tls.connect;
tls.connect = function () {
  const socket = connect.apply(this, arguments);
  const emit = socket.emit;
  socket.emit = function (event) {
    if (event === 'secureConnect' && /^TLSv1(\\.1)?$/.test(socket.getProtocol())) {
      const error = new Error('tlsv1 alert protocol version');
      error.code = 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION';
      return emit.call(socket, 'error', error);
    }
    return emit.apply(socket, arguments);
  };
  return socket;
};
`;
    const node = wrapper(
      'node',
      { 'hide.cjs': hide },
      `#!/bin/sh\nexec "${process.execPath}" --require DIR/hide.cjs "$@"\n`,
    );
    const { result, cell, observation } = await probe(
      await clientFor({ client: 'node', 'client-path': node }),
      '1.2',
      'strict',
    );
    expect(cell('TLSv1', 'strict')).toMatchObject({
      outcome: 'refused',
      reason: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
    expect(observation.runtime.version).toBe(`Node.js ${process.versions.node}`);
    expect(result.verdict).toBe('downgrade');
    expect(result.handshakes.find((h) => h.server === 'TLSv1' && h.client === 'strict')).toMatchObject({
      outcome: 'connected',
      version: 'TLSv1',
      agreement: 'contradicted',
    });
  });

  it.skipIf(!curlOnOpenssl3)(
    'curl: a wrapper that turns every success into exit 35 with a protocol_version alert: downgrade',
    async () => {
      const curl = wrapper(
        'curl',
        {},
        [
          '#!/bin/sh',
          'if [ "$1" = "--version" ]; then exec curl --version; fi',
          'curl "$@" 2>/dev/null && { echo "curl: (35) error:0A00042E:SSL routines::tlsv1 alert protocol version" >&2; exit 35; }',
          '',
        ].join('\n'),
      );
      const { result, cell } = await probe(await clientFor({ client: 'curl', 'client-path': curl }), '1.2', 'strict');
      expect(cell('TLSv1', 'strict')).toMatchObject({ outcome: 'refused' });
      expect(result.verdict).toBe('downgrade');
      // The modern server completed TLS 1.3 too: the server's record counts there as well.
      expect(result.handshakes.find((h) => h.server === 'modern' && h.client === 'strict')).toMatchObject({
        outcome: 'connected',
        version: 'TLSv1.3',
        agreement: 'contradicted',
      });
    },
  );
});
