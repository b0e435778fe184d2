import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { optional } from '../fixtures/requirements.js';
import { fetchedVersion, type SourceServer, serveSources, sourceFile } from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// One pair per line the fetch script serves (the newest release Debian still serves of each,
// checked against the release table; .cache/sources/versions.json), built end to end: about
// 25 minutes on two cores, so opt-in, to keep `npm test` near 19 minutes:
//   TLS_FLOOR_EXTRA_SOURCES=1 npm run test:matrix
// The action's defaults (the newest stable CPython on the newest OpenSSL LTS release in the
// table) are not among them: their files are not served here (test/action/versions.action.test.ts
// checks what they resolve to). A line spec resolves like the defaults, to the newest release
// in the table, so each case names its fetched version exactly.
const ENABLED = optional(
  'hardened matrix',
  'opt-in: npm run test:matrix (TLS_FLOOR_MATRIX=1)',
  process.env['TLS_FLOOR_MATRIX'] === '1',
);
const BUILD_MS = 30 * 60_000;

interface Case {
  python: string;
  openssl: string;
  floor: '1.2' | '1.3';
  /** Its OpenSSL entry is already in the tool cache (an earlier case built it). */
  sharesOpenssl?: boolean;
}

const fetched = (project: 'python' | 'openssl', line: string) => fetchedVersion(project, line) ?? `${line}-not-fetched`;
const CASES: Case[] = [
  { python: fetched('python', '3.13'), openssl: fetched('openssl', '3.5'), floor: '1.2' },
  { python: fetched('python', '3.11'), openssl: fetched('openssl', '3.5'), floor: '1.2', sharesOpenssl: true },
  { python: fetched('python', '3.13'), openssl: fetched('openssl', '3.5'), floor: '1.3' },
  { python: fetched('python', '3.9'), openssl: fetched('openssl', '1.1.1'), floor: '1.2' },
];

let server: SourceServer;
let toolCache: string;

beforeAll(async () => {
  if (!ENABLED) return;
  for (const base of CASES.flatMap((c) => [`openssl-${c.openssl}`, `Python-${c.python}`])) {
    if (!sourceFile(base))
      throw new Error(
        `${base} is missing from .cache/sources: run TLS_FLOOR_EXTRA_SOURCES=1 scripts/fetch-test-sources.sh`,
      );
  }
  server = await serveSources();
  toolCache = temporaryFolder('tls-floor-matrix-');
});

afterAll(async () => {
  await server?.close();
  if (toolCache) rmSync(toolCache, { recursive: true, force: true });
});

// Each source is served under its own extension; the template takes the one of this version.
const template = (base: 'openssl' | 'Python', version: string) => {
  const file = path.basename(sourceFile(`${base}-${version}`)!);
  return server.template(base, file.slice(file.indexOf('.tar')));
};

describe.skipIf(!ENABLED).sequential('every known version pair, built and probed', () => {
  it.each(CASES)(
    'CPython $python on OpenSSL $openssl, TLS $floor floor',
    async (c) => {
      const inputs: Record<string, string> = {
        'min-tls-version': c.floor,
        'python-source-url': template('Python', c.python),
        'openssl-source-url': template('openssl', c.openssl),
        'runtime-cache': 'false',
        'python-version': c.python,
        'openssl-version': c.openssl,
      };
      const run = await runAction(inputs, { RUNNER_TOOL_CACHE: toolCache });
      expect(run.code, run.stdout.slice(-4000)).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'python-version': c.python,
        'openssl-version': c.openssl,
        'cache-hit': 'false',
        'runtime-source': 'built',
      });
      if (c.sharesOpenssl) expect(run.stdout).not.toMatch(/::group::Build OpenSSL/);
      else expect(run.stdout).toMatch(/::group::Build OpenSSL/);

      // Every server below the floor: its control connected and both clients were refused.
      const report = JSON.parse(execFileSync('cat', [run.outputs['report-path']!], { encoding: 'utf8' }));
      const below = c.floor === '1.3' ? ['TLSv1', 'TLSv1.1', 'TLSv1.2'] : ['TLSv1', 'TLSv1.1'];
      for (const legacy of below) {
        const outcome = (client: string) =>
          report.handshakes.find((h: { server: string; client: string }) => h.server === legacy && h.client === client)
            ?.outcome;
        expect([legacy, outcome('control'), outcome('default'), outcome('strict')]).toEqual([
          legacy,
          'connected',
          'refused',
          'refused',
        ]);
      }

      // The runtime's own view, without the environment's help for the CA store.
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SSL_CERT')));
      const facts = JSON.parse(
        execFileSync(
          run.outputs['python-path']!,
          [
            '-c',
            'import ssl, json; print(json.dumps([ssl.OPENSSL_VERSION, ssl.HAS_TLSv1, ssl.HAS_TLSv1_1, ssl.HAS_TLSv1_2, ssl.create_default_context().cert_store_stats()["x509_ca"]]))',
          ],
          { encoding: 'utf8', env: clean },
        ),
      );
      expect(facts[0]).toMatch(new RegExp(`^OpenSSL ${c.openssl.replace(/\./g, '\\.')} `));
      expect(facts.slice(1, 4)).toEqual([false, false, c.floor === '1.2']);
      expect(facts[4]).toBeGreaterThan(0);
    },
    BUILD_MS,
  );
});
