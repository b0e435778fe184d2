import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { readInputs } from '../../src/inputs/inputs.js';
import { type CrossRunCache, cacheKey } from '../../src/runtime/crossrun.js';
import type { BuildPlan } from '../../src/runtime/model/plan.js';
import { obtainFrom, wantedOf } from '../../src/runtime/obtain.js';
import type { ObtainedRuntime, RuntimeSource, SourceName, Wanted } from '../../src/runtime/sources/contract.js';
import { crossRun } from '../../src/runtime/sources/cross_run.js';
import { sourcesFor } from '../../src/runtime/sources/order.js';
import { toolCache } from '../../src/runtime/sources/tool_cache.js';
import { CacheDouble } from '../fixtures/cache-double.js';
import { captureLog } from '../fixtures/log.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The runtime sources behind one contract (src/runtime/sources/): which the inputs choose, in
// what order they are tried, and what each step's undefined means. The sources that download
// or build are exercised whole by the action layer (test/runtime/archive/forged, index-faults and the *-build suites).

const wanted = async (given: Record<string, string> = {}): Promise<Wanted> => {
  const all: Record<string, string> = { ...actionDefaults(), 'runtime-index': 'none', ...given };
  const inputs = await readInputs((name) => all[name] ?? '');
  return wantedOf(inputs.build, inputs.floor);
};

const names = (sources: readonly RuntimeSource[]) => sources.map((s) => s.name);

beforeEach(() => {
  process.env['RUNNER_TOOL_CACHE'] = temporaryFolder('tls-floor-toolcache-');
});

describe('the sources the inputs choose', () => {
  const index = { location: 'runtimes/index.json', explicit: false };
  const cache = new CacheDouble();

  it('the given archive is the only source', () => {
    expect(
      names(sourcesFor({ archive: { url: 'https://example.invalid/a.tar.zst', sha256: 'a'.repeat(64) } })),
    ).toEqual(['archive']);
  });

  it('else the tool cache first and the build last, the cross-run cache and the index between when chosen', () => {
    expect(names(sourcesFor({}))).toEqual(['tool-cache', 'built']);
    expect(names(sourcesFor({ cache }))).toEqual(['tool-cache', 'cross-run', 'built']);
    expect(names(sourcesFor({ index }))).toEqual(['tool-cache', 'prebuilt', 'built']);
    expect(names(sourcesFor({ cache, index }))).toEqual(['tool-cache', 'cross-run', 'prebuilt', 'built']);
  });

  it('each says what it proves, and only the tool cache writes nothing', () => {
    const all = [...sourcesFor({ cache, index }), ...sourcesFor({ archive: { url: 'u', sha256: 's' } })];
    for (const source of all) expect(source.proves.length).toBeGreaterThan(20);
    expect(all.filter((s) => !s.writes).map((s) => s.name)).toEqual(['tool-cache']);
  });
});

/** A source that records its steps and answers as told (undefined passes to the next source). */
function scripted(
  name: SourceName,
  answers: { find?: boolean; fetch?: boolean; install?: boolean; writes?: boolean },
  steps: string[],
): RuntimeSource<string, string> {
  const obtained = (plan: BuildPlan) => ({ plan, source: name, built: false, fromArchive: false }) as ObtainedRuntime;
  return {
    name,
    proves: 'nothing: a test double',
    writes: answers.writes ?? false,
    async find() {
      steps.push(`${name} find`);
      return answers.find === false ? undefined : 'found';
    },
    async fetch() {
      steps.push(`${name} fetch`);
      return answers.fetch === false ? undefined : 'fetched';
    },
    async install(_fetched, w) {
      steps.push(`${name} install`);
      return answers.install === false ? undefined : obtained(await w.plan());
    },
  };
}

describe('obtainFrom: the sources in order', () => {
  it('a source answering undefined at any step passes to the next; the first runtime is taken', async () => {
    const steps: string[] = [];
    const sources = [
      scripted('tool-cache', { find: false }, steps),
      scripted('cross-run', { fetch: false }, steps),
      scripted('prebuilt', { install: false }, steps),
      scripted('archive', {}, steps),
      scripted('built', {}, steps),
    ];
    const obtained = await obtainFrom(sources, await wanted());
    expect(obtained.source).toBe('archive');
    expect(steps).toEqual([
      'tool-cache find',
      'cross-run find',
      'cross-run fetch',
      'prebuilt find',
      'prebuilt fetch',
      'prebuilt install',
      'archive find',
      'archive fetch',
      'archive install',
    ]);
  });

  it('checks the tool cache writable before the first source that writes, not before one that does not', async () => {
    const file = path.join(temporaryFolder('tls-floor-not-a-folder-'), 'file');
    writeFileSync(file, '');
    process.env['RUNNER_TOOL_CACHE'] = file;
    const steps: string[] = [];
    const sources = [scripted('tool-cache', { find: false }, steps), scripted('built', { writes: true }, steps)];
    await expect(obtainFrom(sources, await wanted())).rejects.toThrow(
      /^RUNNER_TOOL_CACHE: cannot write to .*; the action needs a writable tool cache\. Nothing was downloaded\.$/,
    );
    expect(steps).toEqual(['tool-cache find']);
  });

  it('says so when no source answers', async () => {
    const steps: string[] = [];
    await expect(obtainFrom([scripted('tool-cache', { find: false }, steps)], await wanted())).rejects.toThrow(
      'no runtime source answered (tool-cache)',
    );
  });

  it('makes the plans once, when a source first asks', async () => {
    const w = await wanted({ 'python-version': '3.12', optimize: 'auto' });
    const plans = await w.plans();
    expect(plans).toHaveLength(2); // auto: the optimized build first, then the build on demand
    expect(plans[1]).toBe(await w.plan());
    expect(await w.plans()).toBe(plans);
  });
});

describe('the tool cache and the cross-run cache, for real', () => {
  it('an empty tool cache finds nothing', async () => {
    expect(await toolCache.find(await wanted())).toBeUndefined();
  });

  it('a cross-run cache miss fetches nothing, under the key of the build on demand', async () => {
    const w = await wanted();
    const cache = new CacheDouble();
    const source = crossRun(cache);
    const plan = await source.find(w);
    expect(plan).toBe(await w.plan());
    expect(await source.fetch(plan!, w)).toBeUndefined();
    expect(cache.calls).toEqual([expect.objectContaining({ op: 'restore', key: cacheKey(plan!) })]);
  });

  it('a restore that leaves no complete entry passes on to the next source, with a warning', async () => {
    const w = await wanted();
    // A service that answers the key but restores nothing the tool cache recognises.
    const hollow: CrossRunCache = {
      available: () => true,
      restore: async (_paths, key) => key,
      save: async () => undefined,
    };
    const source = crossRun(hollow);
    const plan = (await source.find(w))!;
    const fetched = await source.fetch(plan, w);
    expect(fetched).toBe(plan);
    const { log, value } = await captureLog(() => source.install(fetched!, w));
    expect(value).toBeUndefined();
    expect(log).toContain(
      '::warning::The cross-run cache restored an entry that the tool cache does not recognise; building instead.',
    );
  });
});
