import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { requiredOnCi } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

/**
 * The peek relies on Node's TLSSocket reading a wrapped socket's buffered bytes before its handle.
 * The action runs on Node.js 24: bundle the peeking server with ncc, as dist/ is, and run it there.
 */

const NODE24 = path.join(ROOT, '.cache', 'node24', 'bin', 'node');
const HAS_NODE24 = requiredOnCi(
  'Node.js 24',
  existsSync(NODE24),
  `${NODE24} is missing: run scripts/fetch-test-sources.sh`,
);
let out: string;

beforeAll(() => {
  out = temporaryFolder('tls-floor-peek-');
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/ncc'),
    ['build', 'test/fixtures/peek-entry.ts', '-o', out, '--target', 'es2022', '--quiet'],
    {
      cwd: ROOT,
    },
  );
}, 120_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  expect(childProcesses()).toEqual([]);
});

const run = (node: string) =>
  JSON.parse(execFileSync(node, [path.join(out, 'index.js')], { encoding: 'utf8', timeout: 30_000 }));

describe('the peeking server, bundled', () => {
  it.skipIf(!HAS_NODE24)(
    'on Node.js 24: TLS 1.3 and 1.2 handshakes complete after the peek; X25519MLKEM768 recorded',
    () => {
      const result = run(NODE24);
      expect(result.node).toMatch(/^24\./);
      expect(result.results).toEqual(['TLSv1.3 ok', 'TLSv1.2 ok']);
      expect(result.secure).toEqual([expect.stringMatching(/^TLSv1\.3 /), expect.stringMatching(/^TLSv1\.2 /)]);
      expect(result.captures).toEqual([
        { versions: ['TLSv1.3', 'TLSv1.2'], pqKeyShares: ['X25519MLKEM768'] },
        { versions: ['TLSv1.2'], pqKeyShares: [] },
      ]);
    },
  );

  it('on Node.js 20: the same', () => {
    const result = run(process.execPath);
    expect(result.results).toEqual(['TLSv1.3 ok', 'TLSv1.2 ok']);
    expect(result.captures.map((c: { versions: string[] }) => c.versions)).toEqual([
      ['TLSv1.3', 'TLSv1.2'],
      ['TLSv1.2'],
    ]);
  });
});
