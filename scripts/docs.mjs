#!/usr/bin/env node
// npm run docs [-- --check] [-- --root DIR]
// Writes the generated parts of the documentation from the data in src/ (today: the policies'
// rules, from src/policies/policies.ts) between their markers. --check writes nothing and exits 1
// naming every page whose generated part is not what the data gives (test/docs/generated.test.ts runs it).
// --root reads and writes the pages under DIR instead of the repository (the test's stale copies).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The modules the generated parts come from, loaded through vite (the repository's TypeScript tooling). */
export const SOURCES = { policies: 'src/policies/policies.ts', markdown: 'src/policies/markdown.ts' };

/**
 * Each generated part: its page, its markers, and how the source module renders it. The rules are
 * listed once, in docs/policies.md; docs/policy-guide.md explains them and links there.
 */
export const GENERATED = [
  {
    page: 'docs/policies.md',
    begin: `<!-- policies: generated from src/policies/policies.ts by npm run docs -->`,
    end: '<!-- end of policies -->',
    render: ({ policies, markdown }) => markdown.policyReference(Object.values(policies.POLICIES)),
  },
];

/** The page with its generated part replaced; a page without both markers is an error, not a guess. */
export function splice(text, part, body) {
  const start = text.indexOf(part.begin);
  const end = text.indexOf(part.end, start);
  if (start < 0 || end < 0) throw new Error(`${part.page}: the markers ${part.begin} ... ${part.end} are missing`);
  return `${text.slice(0, start)}${part.begin}\n\n${body}\n\n${text.slice(end)}`;
}

/** Every page as the source module says it should be: [{ page, current, wanted }]. */
export function pages(source, root) {
  return GENERATED.map((part) => {
    const current = readFileSync(path.join(root, part.page), 'utf8');
    return { page: part.page, current, wanted: splice(current, part, part.render(source)) };
  });
}

/** { policies, markdown }: each of SOURCES, loaded. */
async function loadSources() {
  const { runnerImport } = await import('vite');
  const entries = await Promise.all(
    Object.entries(SOURCES).map(async ([name, file]) => {
      const { module } = await runnerImport(`/${file}`, { configFile: false, root: repo, logLevel: 'error' });
      return [name, module];
    }),
  );
  return Object.fromEntries(entries);
}

async function main() {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, root: { type: 'string' } } });
  const root = path.resolve(values.root ?? repo);
  const results = pages(await loadSources(), root);
  const stale = results.filter((r) => r.current !== r.wanted);
  if (values.check) {
    for (const r of stale)
      console.error(`${r.page}: stale; run npm run docs to regenerate it from ${Object.values(SOURCES).join(' and ')}`);
    process.exitCode = stale.length ? 1 : 0;
    return;
  }
  for (const r of stale) writeFileSync(path.join(root, r.page), r.wanted);
  console.log(stale.length ? `wrote ${stale.map((r) => r.page).join(', ')}` : 'docs up to date');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
