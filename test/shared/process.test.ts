import { describe, expect, it } from 'vitest';
import { floodLine, howItEnded, lastLine } from '../../src/shared/process.js';

// What the process runner says of a child, for an error line: the child's words are foreign text.
describe('the process runner in words', () => {
  it("lastLine is the child's last words, clipped and with no workflow command or control character", () => {
    expect(lastLine('one\ntwo\n\n')).toBe('two');
    expect(lastLine('')).toBeUndefined();
    const said = lastLine('ok\n::error::forged \u001b[31mred\r')!;
    expect(said.startsWith('::')).toBe(false);
    expect(said.includes('\r') || said.includes('\u001b')).toBe(false);
    expect(lastLine('x'.repeat(10_000))!.length).toBeLessThan(400);
  });

  it('a flood is said as such, with the limit', () => {
    expect(howItEnded({ code: null, signal: 'SIGKILL', timedOut: false, flooded: 'stdout' })).toBe(
      'killed: its stdout passed the output limit',
    );
    expect(floodLine({ flooded: 'stderr' })).toBe('wrote more than 4 MiB to its stderr and was stopped');
  });
});
