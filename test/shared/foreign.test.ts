import { describe, expect, it } from 'vitest';
import { foreign } from '../../src/shared/foreign.js';

describe('foreign text', () => {
  it('never leaves a workflow command, a CR or a LF in a log line', () => {
    for (const payload of [
      'x\n::add-mask::secret',
      '::error::forged',
      'a\r::warning::b',
      'a\u2028::notice::b',
      '##[error]x',
    ]) {
      const line = foreign(payload);
      expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(line).not.toMatch(/::/);
      expect(line).not.toMatch(/##\[/);
    }
  });

  it('leaves no raw HTML, table breaker or markdown link in the summary', () => {
    const cell = foreign('</sub></td></tr></table><h2>FORGED ✅</h2><img src=x>|a|[l](https://e)\r\n| forged |', {
      for: 'markdown',
    });
    expect(cell).not.toMatch(/[<>|[\]\r\n]/);
  });

  it('drops nothing silently and clips with the length said', () => {
    expect(foreign('a'.repeat(3_000_000), { max: 50 })).toBe(`${'a'.repeat(50)}... (3000000 characters)`);
    expect(foreign('\x1b'.repeat(100), { max: 20 })).toMatch(/^(\\x1b){5}\.\.\. \(100 characters\)$/);
  });

  it('writes only characters XML 1.0 allows', () => {
    const text = foreign('a\ufffe\uffff\u0001\ud800<&>', { for: 'xml' });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not appear
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff<>]/);
    expect(text).toContain('&lt;&amp;&gt;');
  });
});
