import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { serveSources, sourceFile, type SourceServer } from '../fixtures/sources.js';

// Real builds from the real upstream tarballs (scripts/fetch-test-sources.sh, run by
// `npm test`), served on 127.0.0.1, through the bundled action with a temporary tool cache.
const BUILD_MS = 20 * 60_000;

let server: SourceServer;
let toolCache: string;
let inputs: Record<string, string>;

beforeAll(async () => {
  for (const base of ['openssl-3.0.22', 'Python-3.11.2']) {
    if (!sourceFile(base)) throw new Error(`${base} is missing from .cache/sources: run scripts/fetch-test-sources.sh (npm test does)`);
  }
  server = await serveSources();
  toolCache = mkdtempSync(path.join(tmpdir(), 'tls-floor-toolcache-'));
  inputs = {
    'python-version': '3.11.2',
    'openssl-version': '3.0.22',
    'python-source-url': server.template('Python', extension(sourceFile('Python-3.11.2')!)),
    'openssl-source-url': server.template('openssl', extension(sourceFile('openssl-3.0.22')!)),
  };
});

afterAll(async () => {
  await server?.close();
});

const extension = (file: string) => path.basename(file).slice(path.basename(file).indexOf('.tar'));
const env = () => ({ RUNNER_TOOL_CACHE: toolCache });

/** Every file and folder below the tool cache, for before/after comparisons. */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

const completeMarkers = () => listing(toolCache).filter((f) => f.endsWith('.complete'));

describe.sequential('building the hardened runtime (OpenSSL 3.0.22 + CPython 3.11.2)', () => {
  it('a cancelled build leaves no complete entry and no process behind', async () => {
    const run = await runAction(inputs, env(), (child) => setTimeout(() => child.kill('SIGTERM'), 8_000));
    expect(run.code).not.toBe(0);
    expect(completeMarkers()).toEqual([]);
    // The build's process group was stopped with us.
    await new Promise((r) => setTimeout(r, 1000));
    const strays = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(toolCache) && !l.includes('ps -eo'));
    expect(strays).toEqual([]);
  }, BUILD_MS);

  it('builds, verifies and probes: pass in both modes, OpenSSL 3.0.22 linked statically', async () => {
    const run = await runAction(inputs, env());
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'python-version': '3.11.2', 'openssl-version': '3.0.22', 'cache-hit': 'false' });
    const python = run.outputs['python-path']!;
    expect(python.startsWith(toolCache)).toBe(true);
    expect(run.outputs['tool-path']).toBe(path.dirname(path.dirname(python)));
    expect(run.path).toEqual([path.join(run.outputs['tool-path']!, 'bin')]);
    expect(run.exported['pythonLocation']).toBe(run.outputs['tool-path']);

    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
    expect(report.deciders).toEqual(['default', 'strict']);
    for (const server of ['TLSv1', 'TLSv1.1']) {
      expect(report.handshakes.find((h: { server: string; client: string }) => h.server === server && h.client === 'control').outcome).toBe('connected');
      for (const client of ['default', 'strict']) {
        expect(report.handshakes.find((h: { server: string; client: string }) => h.server === server && h.client === client).outcome).toBe('refused');
      }
    }
    expect(report.context.build.verification.tlsLibraries).toEqual([]);

    // Its own view of itself, without any help from the environment's CA variables.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SSL_CERT')));
    const facts = JSON.parse(
      execFileSync(python, ['-c', 'import ssl, json; print(json.dumps([ssl.OPENSSL_VERSION, ssl.HAS_TLSv1, ssl.HAS_TLSv1_1, ssl.create_default_context().cert_store_stats()["x509_ca"]]))'], { encoding: 'utf8', env: clean }),
    );
    expect(facts[0]).toMatch(/^OpenSSL 3\.0\.22 /);
    expect(facts.slice(1, 3)).toEqual([false, false]);
    expect(facts[3]).toBeGreaterThan(0);
    for (const name of ['python', 'python3', 'pip', 'pip3']) expect(existsSync(path.join(run.outputs['tool-path']!, 'bin', name))).toBe(true);
    expect(completeMarkers()).toHaveLength(2); // OpenSSL and CPython, each its own entry
  }, BUILD_MS);

  it('a second run finds it in the tool cache and builds nothing', async () => {
    const before = server.requests.length;
    const run = await runAction(inputs, env());
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'cache-hit': 'true', 'openssl-version': '3.0.22' });
    expect(server.requests.length).toBe(before);
    expect(run.stdout).not.toMatch(/::group::Build /);
    expect(run.stdout).toMatch(/Found CPython 3\.11\.2 on OpenSSL 3\.0\.22 in the tool cache/);
  }, BUILD_MS);

  it('a wrong openssl-sha256 fails with both digests and leaves the tool cache as it was', async () => {
    const before = listing(toolCache);
    const wrong = '0'.repeat(64);
    const run = await runAction({ ...inputs, 'openssl-sha256': wrong }, env());
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(new RegExp(`::error::tls-floor: openssl-sha256: checksum mismatch for http://127\\.0\\.0\\.1:\\d+/openssl-3\\.0\\.22\\.tar\\.gz: expected ${wrong}, got 67ebca7e50d17383028045486653492195b83db95f8558709701bb47b5c1ef81\\. Nothing was extracted or cached\\.`));
    expect(listing(toolCache)).toEqual(before);
  }, BUILD_MS);

  it('with a TLS 1.3 floor, the runtime refuses the TLS 1.2 legacy server', async () => {
    const run = await runAction({ ...inputs, 'min-tls-version': '1.3' }, env());
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'negotiated-version': 'TLSv1.3', 'cache-hit': 'false' });
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
    expect(report.handshakes.find((h: { server: string; client: string }) => h.server === 'TLSv1.2' && h.client === 'control').outcome).toBe('connected');
    for (const client of ['default', 'strict']) {
      expect(report.handshakes.find((h: { server: string; client: string }) => h.server === 'TLSv1.2' && h.client === client).outcome).toBe('refused');
    }
    expect(report.context.build.verification.has.HAS_TLSv1_2).toBe(false);
    expect(completeMarkers()).toHaveLength(4);
  }, BUILD_MS);

  it('leaves no child process behind', () => {
    expect(childProcesses()).toEqual([]);
  });
});
