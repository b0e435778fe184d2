import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOWNLOAD_LIMITS, sizeText, UNPACK_LIMITS } from '../../src/runtime/limits.js';
import { ROOT } from '../fixtures/action.js';

// The limits users read (docs/prebuilt.md) are the limits the code enforces (limits.ts).
const page = readFileSync(path.join(ROOT, 'docs', 'prebuilt.md'), 'utf8');
const rows = Object.fromEntries(
  page
    .split('\n')
    .filter((l) => /^\| (source tarball|runtime archive|runtime index) \|/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((cells) => [cells[1], cells.slice(2, 6)]),
);
const prose = page.replace(/\s+/g, ' ');
const GiB = 1024 * 1024 * 1024;
const size = (bytes: number) => (bytes >= GiB ? `${bytes / GiB} GiB` : sizeText(bytes));

describe('docs/prebuilt.md states the limits of limits.ts', () => {
  it.each([
    ['source tarball', 'source'],
    ['runtime archive', 'archive'],
    ['runtime index', 'index'],
  ] as const)('%s', (row, kind) => {
    const limits = DOWNLOAD_LIMITS[kind];
    const [bytes, deadline, attempts, idle] = rows[row] ?? [];
    expect(bytes?.startsWith(size(limits.maxBytes))).toBe(true);
    expect(deadline).toBe(`${limits.deadlineMs / 1000} s`);
    expect(attempts).toBe(String(limits.attempts));
    expect(idle).toBe(`${limits.idleMs / 1000} s`);
    expect(prose).toContain(`a line every ${limits.progressMs / 1000} s`);
  });

  it('the unpack limits', () => {
    expect(prose).toContain(
      `never to more than ${size(UNPACK_LIMITS.maxBytes)} in ${UNPACK_LIMITS.maxMembers.toLocaleString('en-US')} members`,
    );
    expect(prose).toContain(`plus ${sizeText(UNPACK_LIMITS.overheadPerMember)} of headers per member`);
  });
});
