import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ActionRun, runAction } from '../fixtures/action.js';
import { CMARK_GFM, renderGfm } from '../fixtures/browser.js';
import { childProcesses } from '../fixtures/processes.js';
import { requiredOnCi } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Foreign text (a probed runtime's self-description, a runtime index's fields) reaches the log
// and the summary as data: no workflow command, no CR, no raw HTML, whatever it holds.

const PAYLOAD =
  'x\n::error::FORGED-error\r\n::warning::FORGED-warning\n  ::add-mask::FORGED-mask\r::notice::FORGED-notice\n' +
  '</td></tr></table><h2>FORGED</h2><img src=x onerror=alert(1)>';

/**
 * The runner's reading of a log: a line whose trimmed start is `::` is a command. The action's
 * own commands may quote the payload (as data); a forged one is a command the payload begins.
 */
function forgedCommands(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^::[a-z-]+( [^:]*)?::FORGED/.test(l.trimStart()));
}

function expectSafe(run: ActionRun): void {
  expect(forgedCommands(run.stdout)).toEqual([]);
  // Every command line is one the action issues itself.
  const commands = run.stdout.split('\n').filter((l) => l.trimStart().startsWith('::'));
  expect(commands.filter((l) => !/^::(group|endgroup|error|warning|notice|debug)( [^:]*)?::/.test(l))).toEqual([]);
  expect(run.stdout).not.toMatch(/^\s*::add-mask::/m);
  expect(run.stdout).not.toContain('\r');
  if (requiredOnCi('cmark-gfm', Boolean(CMARK_GFM), 'apt-get install -y cmark-gfm') && run.summary) {
    const html = renderGfm(run.summary);
    expect(html).not.toMatch(/<h2>FORGED|<img|<\/table><h2>/);
  }
}

/**
 * A 'python' that runs the probe's script with /usr/bin/python3 (real handshakes), then puts
 * the payload in every string of its self-description, a client's name, settings and refusal,
 * and each handshake's error before it answers.
 */
function hostilePython(): string {
  const file = path.join(temporaryFolder('tls-floor-hostile-'), 'python3');
  writeFileSync(
    file,
    `#!/usr/bin/python3
import io, json, sys
PAYLOAD = ${JSON.stringify(PAYLOAD)}
script = sys.argv[sys.argv.index("-c") + 1]
real, sys.stdout = sys.stdout, io.StringIO()
sys.argv = ["-c"]
try:
    exec(compile(script, "<probe>", "exec"), {"__name__": "__main__"})
except SystemExit:
    pass
out, sys.stdout = sys.stdout.getvalue(), real
report = json.loads(out)
rt = report["runtime"]
for key in ("implementation", "version", "opensslVersion", "executable"):
    rt[key] = PAYLOAD
rt["libssl"] = [PAYLOAD]
report["clients"]["default"]["ciphers"] = PAYLOAD
report["clients"][PAYLOAD] = {"error": PAYLOAD}
for h in report["handshakes"]:
    h["error"] = PAYLOAD
    if h.get("reason"):
        h["reason"] = PAYLOAD
print(json.dumps(report))
`,
  );
  chmodSync(file, 0o755);
  return file;
}

/** A 'python' that says it is too old, in the payload's words. */
function refusingPython(): string {
  const file = path.join(temporaryFolder('tls-floor-hostile-'), 'python3');
  writeFileSync(
    file,
    `#!/usr/bin/python3\nimport json, sys\nsys.stdin.read()\nprint(json.dumps({"fatal": "too-old", "detail": ${JSON.stringify(PAYLOAD)}}))\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('a probed runtime that describes itself with workflow commands and HTML', () => {
  it('its self-description, client names, settings and errors reach the log and the summary as data', async () => {
    const run = await runAction({ 'python-path': hostilePython(), libraries: 'none' });
    expect(run.outputs['verdict'], run.stdout.slice(-3000)).toBeDefined();
    // The payload was shown (as text), not dropped.
    expect(run.stdout).toContain('FORGED-error');
    expectSafe(run);
  }, 60_000);

  it('a refusal in its words (too old) is one ::error:: line with the payload as data', async () => {
    const run = await runAction({ 'python-path': refusingPython(), libraries: 'none' });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.trimStart().startsWith('::error::'))).toHaveLength(1);
    expectSafe(run);
  }, 60_000);

  it('a client-command whose output is the payload: the log and summary hold it as data', async () => {
    const run = await runAction({
      client: 'command',
      'client-shell': 'true',
      'client-command': `printf '%s' ${shellQuote(PAYLOAD)} >&2; exit 3`,
    });
    expect(run.outputs['verdict'], run.stdout.slice(-3000)).toBeDefined();
    expectSafe(run);
  }, 60_000);
});

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('a runtime index whose fields hold workflow commands', () => {
  let server: http.Server;
  let base: string;
  const index = JSON.stringify({
    format: 1,
    runtimes: [
      {
        url: 'runtime.tar.gz',
        sha256: 'a'.repeat(64),
        bytes: 1,
        python: PAYLOAD,
        openssl: PAYLOAD,
        floor: PAYLOAD,
        buildFormat: 1,
        identity: { python: { x: PAYLOAD }, openssl: { y: PAYLOAD } },
        platform: { os: PAYLOAD, osRelease: PAYLOAD, arch: PAYLOAD },
      },
    ],
  });

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end(index));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // The sources are missing: after the look-up the build stops at its first download.
  it.each([
    ['over http on loopback', () => `${base}/index.json`],
    [
      'as a local path',
      () => {
        const folder = temporaryFolder('tls-floor-index-');
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, 'index.json'), index);
        return path.join(folder, 'index.json');
      },
    ],
  ])(
    '%s: the nearest-entry line holds the fields as data',
    async (_how, location) => {
      const run = await runAction(
        {
          'runtime-index': location(),
          'python-version': '3.11.2',
          'openssl-version': '3.0.22',
          'openssl-source-url': `${base}/missing/openssl-{version}.tar.gz`,
        },
        { RUNNER_TOOL_CACHE: temporaryFolder('tls-floor-toolcache-') },
      );
      expect(run.stdout, run.stdout.slice(-3000)).toMatch(/nearest differs in/);
      expectSafe(run);
    },
    60_000,
  );
});
