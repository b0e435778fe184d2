import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { cycles, layerProblems, layersOfConfig } from '../../scripts/layers.mjs';

// The check `npm run deps` runs after dependency-cruiser (scripts/layers.mjs), over the real
// rules in .dependency-cruiser.cjs and over made-up import graphs that break them.
const config = layersOfConfig(createRequire(import.meta.url)('../../.dependency-cruiser.cjs'));
type Module = { source: string; dependencies: { resolved: string }[] };
const imports = (source: string, ...targets: string[]): Module => ({
  source,
  dependencies: targets.map((resolved) => ({ resolved })),
});

describe('the layers of src/', () => {
  it('are the rules named layer-<name>, one per folder, in an order each may-list follows', () => {
    const names = config.LAYERS.map((l: { name: string }) => l.name);
    expect(names).toEqual([
      'shared',
      'probe',
      'policies',
      'runtime-model',
      'runtime',
      'inputs',
      'judgement',
      'report',
      'action',
    ]);
    expect(layerProblems([], config)).toEqual([]);
  });

  it('hold every file of src/ but the entry point, each in exactly one layer', () => {
    const files = readdirSync('src', { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.posix.join(path.relative('.', d.parentPath).split(path.sep).join('/'), d.name));
    expect(files.length).toBeGreaterThan(50);
    expect(
      layerProblems(
        files.map((f) => imports(f)),
        config,
      ),
    ).toEqual([]);
  });

  it('fail on a folder-level cycle dependency-cruiser does not see (no module cycle)', () => {
    // runtime/obtain.ts -> archive, archive -> runtime/plan: as runtime/ and archive/ were.
    const modules = [
      imports('src/runtime/obtain.ts', 'src/probe/probe.ts'),
      imports('src/probe/probe.ts', 'src/shared/floor.ts'),
      imports('src/probe/policy_servers.ts', 'src/runtime/toolcache.ts'),
      imports('src/runtime/toolcache.ts'),
    ];
    expect(layerProblems(modules, config)).toEqual([
      'folder-level cycle between probe, runtime (probe -> runtime; runtime -> probe)',
    ]);
  });

  it('find a loop round three layers once', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set()],
        ]),
      ),
    ).toEqual([]);
  });

  it('fail on a loose file and on a may-list that names a later layer', () => {
    expect(layerProblems([imports('src/helpers.ts')], config)).toEqual([
      'src/helpers.ts lies outside every layer folder',
    ]);
    const backwards = {
      ...config,
      LAYERS: config.LAYERS.map((l: { name: string; may: string[] }) =>
        l.name === 'probe' ? { ...l, may: [...l.may, 'report'] } : l,
      ),
    };
    expect(layerProblems([], backwards)).toEqual(['layer probe may import report, which does not come before it']);
  });
});
