import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED, pages, splice } from '../../scripts/docs.mjs';
import * as markdown from '../../src/policies/markdown.js';
import * as policies from '../../src/policies/policies.js';

// npm run docs writes the generated parts of the pages (scripts/docs.mjs); this holds the committed
// pages to what it would write, so a change to the policies' data without `npm run docs` fails here.
// test/docs/script.integration.test.ts runs the script itself.

describe('the generated parts of the documentation', () => {
  it('are what npm run docs writes from the data (run npm run docs when this fails)', () => {
    const stale = pages({ policies, markdown }, path.resolve('.')).filter((r) => r.current !== r.wanted);
    expect(stale.map((r) => r.page)).toEqual([]);
  });

  it('sit between markers: a page without them is refused instead of guessing where the part goes', () => {
    for (const part of GENERATED) {
      expect(() => splice('# Policies\n', part, 'body')).toThrow(`${part.page}: the markers`);
      expect(splice(`a\n${part.begin}\nold\n${part.end}\nb`, part, 'new')).toBe(
        `a\n${part.begin}\n\nnew\n\n${part.end}\nb`,
      );
    }
  });

  it('list every rule of every policy in the reference, once: the guide links to it', () => {
    for (const part of GENERATED) {
      const page = pages({ policies, markdown }, path.resolve('.')).find((r) => r.page === part.page)?.current ?? '';
      for (const p of Object.values(policies.POLICIES))
        for (const rule of p.rules) expect(page).toContain(`\`${rule.id}\``);
    }
    expect(GENERATED.map((part) => part.page)).toEqual(['docs/policies.md']);
    const guide = readFileSync('docs/policy-guide.md', 'utf8');
    expect(guide).toContain('](policies.md)');
    expect(guide).not.toContain('`rfc9325.no-null` |');
  });
});
