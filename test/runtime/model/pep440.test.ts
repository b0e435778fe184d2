import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpecifierSet, parseVersion, setContains } from '../../../src/runtime/model/pep440.js';
import { newestMatching, resolveVersion } from '../../../src/runtime/model/versions.js';
import { ROOT } from '../../fixtures/action.js';

// The cases were generated with packaging (scripts/pep440-cases.sh, Debian's python3-packaging):
// what pip means by a requires-python is what the action must resolve it to.
interface Case {
  spec: string;
  valid: boolean;
  contains?: string[];
  newest?: string | null;
}
const table = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'pep440-cases.json'), 'utf8')) as {
  generator: string;
  versions: string[];
  cases: Case[];
};

describe(`PEP 440 specifier sets as ${table.generator}`, () => {
  it.each(table.cases.filter((c) => c.valid))('%j contains what packaging says', (c) => {
    const parsed = parseSpecifierSet(c.spec);
    expect(parsed).toHaveProperty('specifiers');
    const specifiers = 'specifiers' in parsed ? parsed.specifiers : [];
    const contains = table.versions.filter((v) => setContains(specifiers, parseVersion(v)!));
    expect(contains).toEqual(c.contains);
  });

  it.each(table.cases.filter((c) => !c.valid))('%j is not a specifier set (packaging refuses it)', (c) => {
    expect(parseSpecifierSet(c.spec)).toHaveProperty('invalid');
  });
});

describe('requires-python resolves as pip would select', () => {
  // The issue's cases, over the action's own release table.
  it.each([
    ['<=3.12', '3.12.0'],
    ['==3.13', '3.13.0'],
    ['==3.13.0', '3.13.0'],
  ])('%s resolves to %s', (spec, version) => {
    const resolved = resolveVersion('python', spec, {
      input: 'python-version-file',
      checksumGiven: false,
      allowUnverified: false,
      syntax: 'pep440',
    });
    expect(resolved.version).toBe(version);
  });

  it.each(table.cases.filter((c) => c.valid && c.newest))('%j selects the newest packaging selects', (c) => {
    expect(newestMatching(c.spec, table.versions)).toBe(c.newest);
  });

  it.each(table.cases.filter((c) => !c.valid && c.spec.trim()))('%j is refused in one line naming the input', (c) => {
    expect(() =>
      resolveVersion('python', c.spec, {
        input: 'python-version-file',
        checksumGiven: false,
        allowUnverified: false,
        syntax: 'pep440',
      }),
    ).toThrow(/^python-version-file: requires-python '.*' is not a PEP 440 specifier set/);
  });
});

describe('one exact release outside the table', () => {
  it('==3.13.99 builds with a checksum (as python-version 3.13.99 does), and is refused without one', () => {
    const options = { input: 'python-version-file', allowUnverified: false, syntax: 'pep440' as const };
    expect(resolveVersion('python', '==3.13.99', { ...options, checksumGiven: true }).version).toBe('3.13.99');
    expect(() => resolveVersion('python', '==3.13.99', { ...options, checksumGiven: false })).toThrow(
      /^python-version-file: no CPython release in the action's table matches requires-python '==3\.13\.99'/,
    );
  });
});
