import { describe, expect, it } from 'vitest';
import { displayWidth, fittedTables, wrap } from '../../src/report/text_layout.js';

describe('text layout for the log', () => {
  it('wraps at blanks and cuts a word longer than a line, losing nothing', () => {
    const long = `runtime: CPython at /opt/${'x'.repeat(300)}/bin/python3; TLS library: OpenSSL 3.5.1`;
    const lines = wrap(long, 120);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(120);
    expect(lines.join(' ').replace(/\s+/g, '')).toBe(long.replace(/\s+/g, ''));
  });

  it('counts a wide character as two columns and a combining mark as none', () => {
    expect(displayWidth('证书')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('splits columns into as many tables as 120 columns need, each with the first column', () => {
    const rows = [
      ['server', ...Array.from({ length: 8 }, (_, i) => `client-${i}`)],
      ['modern', ...Array.from({ length: 8 }, () => 'ok connected TLSv1.3')],
    ];
    const lines = fittedTables(rows, 120);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(120);
    expect(lines.filter((l) => l.startsWith('server')).length).toBeGreaterThan(1);
    for (let i = 0; i < 8; i++) expect(lines.join('\n')).toContain(`client-${i}`);
  });
});
