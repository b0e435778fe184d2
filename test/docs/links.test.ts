import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every relative link of the user's pages (README.md, CONTRIBUTING.md, docs/*.md) must name a file
// that exists and, with a #fragment, a heading of that file, as GitHub renders them.

const ROOT = path.resolve('.');
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, blanks to '-', repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

function withoutFences(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

const DATE = /\b20\d\d-\d\d-\d\d\b/;
const FIGURE = /\b\d+(?:\.\d+)?\s?(?:s|ms|min|MiB|MB|GiB|KiB)\b/;

/** The paragraphs, list items and table rows (outside fences) that give a date beside a time or a size. */
function datedFigures(markdown: string): string[] {
  return withoutFences(markdown)
    .split(/\n\s*\n|\n(?=\|)|\n(?=\s*- )/)
    .filter((piece) => DATE.test(piece) && FIGURE.test(piece))
    .map((piece) => piece.replace(/\s+/g, ' ').trim());
}

/** The targets of inline links and images, outside code. */
function links(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
}

function broken(page: string): string[] {
  const text = readFileSync(path.join(ROOT, page), 'utf8');
  const problems: string[] = [];
  for (const target of links(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [file = '', fragment] = target.split('#');
    const resolved = file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), file);
    if (!existsSync(resolved)) {
      problems.push(`${page}: ${target}: no such file`);
      continue;
    }
    if (fragment === undefined || statSync(resolved).isDirectory()) continue;
    if (!anchors(readFileSync(resolved, 'utf8')).has(fragment)) problems.push(`${page}: ${target}: no such heading`);
  }
  return problems;
}

describe('the documentation pages', () => {
  it('link only to files and headings that exist', () => {
    expect(PAGES.length).toBeGreaterThan(2);
    expect(PAGES.flatMap(broken)).toEqual([]);
  });

  it('name only files of the repository that exist (`src/...`, `test/...`, `scripts/...`, `.github/...`)', () => {
    const missing = PAGES.flatMap((page) =>
      [...readFileSync(page, 'utf8').matchAll(/`((?:src|test|scripts|\.github|docs)\/[^`\s*<>{}]+)`/g)]
        .map((m) => m[1] ?? '')
        .filter((file) => !existsSync(path.join(ROOT, file)))
        .map((file) => `${page}: ${file}`),
    );
    expect(missing).toEqual([]);
  });

  it('keep the README a front page (at most 300 lines; the rest lives in docs/ and CONTRIBUTING.md)', () => {
    expect(readFileSync('README.md', 'utf8').split('\n').length).toBeLessThanOrEqual(300);
  });

  it('hold every dated figure in docs/benchmarks.md alone (a paragraph, list item or table row with a date and a time or size)', () => {
    const elsewhere = PAGES.filter((p) => p !== 'docs/benchmarks.md').flatMap((page) =>
      datedFigures(readFileSync(page, 'utf8')).map((piece) => `${page}: ${piece.slice(0, 120)}`),
    );
    expect(elsewhere).toEqual([]);
    expect(datedFigures(readFileSync('docs/benchmarks.md', 'utf8')).length).toBeGreaterThan(10);
  });

  it('are reachable from the README', () => {
    const readme = links(readFileSync('README.md', 'utf8')).map((l) => l.split('#')[0]);
    for (const page of PAGES.filter((p) => p !== 'README.md')) expect(readme, page).toContain(page);
  });

  it('finds what a broken link looks like (the check can fail)', () => {
    expect(anchors('# How a verdict fails the job\n## The probe: servers, `controls`\n## A\n## A')).toEqual(
      new Set(['how-a-verdict-fails-the-job', 'the-probe-servers-controls', 'a', 'a-1']),
    );
    expect(links('[x](docs/a.md#b) `[y](z.md)` ![i](p.png)')).toEqual(['docs/a.md#b', 'p.png']);
    expect(
      datedFigures('Built in 1022 s (2026-12-01).\n\n| a | 2026-11-29 | 0.58 s |\n- 19.0 MiB on 2026-12-01'),
    ).toHaveLength(3);
    expect(datedFigures('On 2026-11-29 the table was read.\n\nA 5 s timeout.\n\n```\n2026-12-01 3 s\n```')).toEqual([]);
  });
});
