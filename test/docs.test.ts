import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED, pages, splice } from '../scripts/docs.mjs';
import * as policies from '../src/policies/policies.js';
import * as markdown from '../src/report/policy_markdown.js';
import { temporaryFolder } from './fixtures/temporary.js';

// npm run docs writes the generated parts of the pages (scripts/docs.mjs); this holds the committed
// pages to what it would write, so a change to the policies' data without `npm run docs` fails here.

const script = path.resolve('scripts/docs.mjs');
const docs = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
const work = temporaryFolder('tls-floor-docs-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the generated pages under a folder of their own, to run the script against. */
function copyPages(name: string): string {
  const root = path.join(work, name);
  for (const part of GENERATED) {
    mkdirSync(path.dirname(path.join(root, part.page)), { recursive: true });
    cpSync(part.page, path.join(root, part.page));
  }
  return root;
}

describe('npm run docs', () => {
  it('finds the committed pages up to date (run npm run docs when this fails)', () => {
    const stale = pages({ policies, markdown }, path.resolve('.')).filter((r) => r.current !== r.wanted);
    expect(stale.map((r) => r.page)).toEqual([]);
  });

  it('npm run docs -- --check names a stale page and exits 1', () => {
    const root = copyPages('stale');
    const page = path.join(root, 'docs/policies.md');
    writeFileSync(page, readFileSync(page, 'utf8').replace('`rfc9325.no-null`', '`rfc9325.no-null-old`'));
    const check = docs('--check', '--root', root);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('docs/policies.md: stale');
    expect(check.stderr).not.toContain('policy-guide.md');
    // What npm run docs would write there is the committed page again.
    const wanted = pages({ policies, markdown }, root).find((r) => r.page === 'docs/policies.md');
    expect(wanted?.wanted).toBe(readFileSync('docs/policies.md', 'utf8'));
  });

  it('refuses a page whose markers are gone instead of guessing where the part goes', () => {
    for (const part of GENERATED) {
      expect(() => splice('# Policies\n', part, 'body')).toThrow(`${part.page}: the markers`);
      expect(splice(`a\n${part.begin}\nold\n${part.end}\nb`, part, 'new')).toBe(
        `a\n${part.begin}\n\nnew\n\n${part.end}\nb`,
      );
    }
  });

  it('lists every rule of every policy in both pages', () => {
    for (const part of GENERATED) {
      const page = readFileSync(part.page, 'utf8');
      for (const p of Object.values(policies.POLICIES))
        for (const rule of p.rules) expect(page).toContain(`\`${rule.id}\``);
    }
  });
});
