import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { readInputs } from '../../src/inputs/inputs.js';
import { freeThreadedProblem, incompatibility } from '../../src/runtime/model/compat.js';
import { lifecycleOf, RELEASES, resolveVersion } from '../../src/runtime/model/versions.js';
import { ROOT } from '../fixtures/action.js';

// The publish matrix comes from the release table (scripts/publish-matrix.mjs), so what a user
// gets by default is what the publish workflow builds.
type Cell = { os: string; python: string; openssl: string; floor: string };
const matrix = (...args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'publish-matrix.mjs'), ...args], { encoding: 'utf8' }),
  ) as { include: Cell[] };

const RUNNERS = ['ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-22.04-arm', 'ubuntu-24.04-arm'];

describe('npm run publish-matrix', () => {
  const { include } = matrix();

  it('holds what empty inputs resolve to, on both floors, on every Linux runner', async () => {
    const defaults = actionDefaults();
    const { build } = await readInputs((name) => defaults[name] ?? '');
    for (const os of RUNNERS)
      for (const floor of ['1.2', '1.3'])
        expect(include, `${os} ${floor}`).toContainEqual({
          os,
          python: build.python.version,
          openssl: build.openssl.version,
          floor,
        });
  });

  it('holds the newest release of every supported CPython line from 3.10 on, and nothing else', () => {
    const lines = [
      ...new Set(RELEASES.python.filter((r) => !r.prerelease).map((r) => r.version.split('.').slice(0, 2).join('.'))),
    ]
      .filter((line) => Number(line.split('.')[1]) >= 10 && lifecycleOf('python', `${line}.0`)?.ended === false)
      .map(
        (line) =>
          resolveVersion('python', line, { input: 'python-version', checksumGiven: false, allowUnverified: false })
            .version,
      );
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const gil = include.filter((c) => !c.python.endsWith('t'));
    expect([...new Set(gil.map((c) => c.python))].sort()).toEqual(lines.sort());
    expect(gil).toHaveLength(lines.length * 2 * RUNNERS.length);
    for (const cell of include)
      expect(incompatibility(cell.python.replace(/t$/, ''), cell.openssl), JSON.stringify(cell)).toBeUndefined();
  });

  it('holds the free-threaded build (3.13.18t) of each of those lines from 3.13 on, as setup-python offers it', async () => {
    const free = include.filter((c) => c.python.endsWith('t'));
    const lines = [...new Set(include.map((c) => c.python))].filter((v) => !v.endsWith('t') && !freeThreadedProblem(v));
    expect(lines.length).toBeGreaterThanOrEqual(2); // 3.13 and 3.14 at least
    expect([...new Set(free.map((c) => c.python))].sort()).toEqual(lines.map((v) => `${v}t`).sort());
    expect(free).toHaveLength(lines.length * 2 * RUNNERS.length);
    // Each cell is a python-version the action takes as it is: free-threaded, that release.
    const { build } = await readInputs(
      (name) => ({ ...actionDefaults(), 'python-version': free[0]!.python })[name] ?? '',
    );
    expect(build.python).toMatchObject({ version: free[0]!.python.replace(/t$/, ''), freethreaded: true });
  });

  it('follows the support lines: a line whose end of life has passed drops out', () => {
    const before = new Set(
      matrix('--date', '2026-06-01').include.map((c) => c.python.split('.').slice(0, 2).join('.')),
    );
    const after = new Set(matrix('--date', '2026-11-02').include.map((c) => c.python.split('.').slice(0, 2).join('.')));
    expect(before.has('3.10')).toBe(true); // lifecycle.json: 3.10 ends 2026-10
    expect(after.has('3.10')).toBe(false);
  });

  it('--only restricts the table to the versions a versions.json names (the rehearsal)', () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'rehearsal-versions.json');
    const cells = matrix('--only', file).include;
    expect(new Set(cells.map((c) => `${c.python} ${c.openssl}`))).toEqual(new Set(['3.13.15 3.5.7', '3.13.15t 3.5.7']));
    // The GIL build first: the rehearsal builds the first 1.2 cell.
    expect(cells[0]).toMatchObject({ python: '3.13.15', floor: '1.2' });
  });
});

describe('runtimes/matrix.json: the matrix of the current table, as a reviewer reads it', () => {
  it('is what npm run publish-matrix prints for the date it names', () => {
    const recorded = JSON.parse(readFileSync(path.join(ROOT, 'runtimes', 'matrix.json'), 'utf8')) as {
      generated: string;
      cells: number;
      include: Cell[];
    };
    expect(recorded.include, 'run: node scripts/publish-matrix.mjs --write').toEqual(
      matrix('--date', recorded.generated).include,
    );
    expect(recorded.cells).toBe(recorded.include.length);
  });
});
