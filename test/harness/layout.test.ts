import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

// Tests mirror src (CONTRIBUTING.md, "Test layers"), and a file's name says its layer
// (vitest.config.ts): what keeps both true as files are added.

const folders = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [path.join(dir, e.name), ...folders(path.join(dir, e.name))]);

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );

it('every layer folder of src/ (.dependency-cruiser.cjs) has its test folder', () => {
  const layers = [
    ...readdirSync('src', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join('src', e.name)),
    path.join('src', 'runtime', 'model'),
  ];
  const missing = layers.map((dir) => dir.replace(/^src/, 'test')).filter((dir) => !folders('test').includes(dir));
  expect(layers.length).toBeGreaterThan(8);
  expect(missing).toEqual([]);
});

it('no test lies loose in test/ or among the fixtures', () => {
  const loose = files('test').filter(
    (f) => f.endsWith('.test.ts') && (path.dirname(f) === 'test' || f.startsWith(path.join('test', 'fixtures'))),
  );
  expect(loose).toEqual([]);
});
