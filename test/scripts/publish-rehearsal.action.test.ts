import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, type Rehearsal, rehearse } from '../../scripts/publish-rehearsal.mjs';
import { childProcesses } from '../fixtures/processes.js';
import { requirePath } from '../fixtures/requirements.js';
import { SOURCES_DIR } from '../fixtures/sources.js';

// The publish pipeline for one cell, its steps read from publish-runtimes.yml and run here with
// the sources on 127.0.0.1 (scripts/publish-rehearsal.mjs): one real cold build with
// create-archive, the archive named and indexed as the workflow does, the index written into a
// copy of the action's tree, and that copy's bundle run with only python-version: '3.13'.
// TLS_FLOOR_REHEARSAL_ARCHIVE=<archive.tar.zst> reuses an archive a previous run made (the build
// step is then not rehearsed; the test says so in its log). The workflow builds with optimize:
// pgo-lto, a PGO + LTO build of tens of minutes here: the test builds with none (the copy's
// default, optimize: auto, takes that entry too) unless TLS_FLOOR_OPTIMIZED=1.
const BUILD_MS = 30 * 60_000;
const OPTIMIZE = process.env['TLS_FLOOR_OPTIMIZED'] === '1' ? undefined : 'none';
requirePath(path.join(SOURCES_DIR, 'versions.json'), 'run scripts/fetch-test-sources.sh');

let result: Rehearsal | undefined;
afterAll(() => {
  if (result) cleanUp(result);
});

describe.sequential('npm run publish-rehearsal', () => {
  it(
    'the copy of the action installs the runtime its in-tree index lists: prebuilt, pass, nothing built',
    async () => {
      const lines: string[] = [];
      result = await rehearse({ say: (line) => lines.push(line), ...(OPTIMIZE ? { optimize: OPTIMIZE } : {}) });
      console.log(lines.join('\n'));
      const { cell, cold, first, index, downloaded } = result;
      expect(cold.outputs['verdict']).toBe('pass');
      expect(first.outputs).toMatchObject({
        verdict: 'pass',
        'cache-hit': 'true',
        'runtime-source': 'prebuilt',
        'python-version': cell.python,
        'openssl-version': cell.openssl,
      });
      expect(downloaded).toEqual([]); // the loopback source server saw no request
      expect(first.stdout).not.toMatch(/::group::Build /);
      expect(first.stdout).toMatch(
        new RegExp(
          `^3\\.13 → ${cell.python.replaceAll('.', '\\.')}, OpenSSL the default → ${cell.openssl.replaceAll('.', '\\.')}: prebuilt for linux `,
          'm',
        ),
      );
      expect(first.outputs['python-path']!.startsWith(`${result.installRoot}/`)).toBe(true);
      // The copy's index is what the index job would propose: each archive in the release its
      // build identity names, named as the naming step names it.
      expect(index.runtimes).toHaveLength(1);
      expect(index.runtimes[0]!.url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/rehearsal\/tls-floor\/releases\/download\/cpython-[\d.]+t?-(x64|arm64)(-freethreaded)?-tls1\.2-openssl[\d.]+[a-z]?-[0-9a-f]+\/tls-floor-cpython.*-tls1\.2-linux-(x64|arm64)-[a-z]+-[\d.]+\.tar\.(zst|gz)$/,
      );
      const tree = JSON.parse(readFileSync(path.join(result.tree, 'runtimes', 'index.json'), 'utf8'));
      expect(tree).toEqual(index);
      // A second publish of the same content: installed from the published index, not built;
      // no release created; the index the same bytes.
      const { second, newCell } = result;
      expect(second.run.outputs).toMatchObject({ verdict: 'pass', 'runtime-source': 'prebuilt' });
      expect(second.downloads).toEqual([]);
      expect(second.release).toBe('releases: 0 created, 1 already published');
      expect(second.indexUnchanged).toBe(true);
      // A cell the table adds (here the other floor): the published index misses it, so it builds.
      expect(newCell.stdout).toMatch(/no prebuilt runtime for CPython .* in the index .*building from source/);
      expect(newCell.status).not.toBe(0); // its source is a name the loopback server lacks
    },
    BUILD_MS,
  );

  it('leaves no child process behind', () => {
    expect(childProcesses()).toEqual([]);
  });
});
