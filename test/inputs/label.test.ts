import { describe, expect, it } from 'vitest';
import { LABEL_DEFAULT, labelInput } from '../../src/inputs/label.js';

// The label input as the runner passes it: action.yml's default `${{ toJSON(matrix) }}` evaluated
// (pretty-printed JSON in a matrix leg, `null` outside one), or the user's words.
describe('label', () => {
  it('names a matrix leg by its values, in the matrix order', () => {
    expect(labelInput('{\n  "python": "3.13",\n  "os": "ubuntu-24.04"\n}')).toEqual({
      label: 'python=3.13, os=ubuntu-24.04',
    });
    expect(labelInput('{\n  "include": {\n    "x": 1\n  },\n  "n": 2\n}')).toEqual({ label: 'include={"x":1}, n=2' });
  });

  it('leaves the label to the report (runtime, floor, mode) outside a matrix and outside the runner', () => {
    expect(labelInput('null')).toEqual({});
    expect(labelInput('')).toEqual({});
    expect(labelInput(LABEL_DEFAULT)).toEqual({});
    expect(labelInput('{}')).toEqual({});
  });

  it("takes the user's words on one line, and refuses a long one in one line", () => {
    expect(labelInput('  py3.13 on\narm  ')).toEqual({ label: 'py3.13 on arm' });
    expect(() => labelInput('x'.repeat(201))).toThrow(
      /^label: 'x+\.\.\. \(201 characters\)' is too long; give at most 200 characters/,
    );
  });

  it('keeps two long matrix legs apart: clipped values end with a hash of all of them', () => {
    const leg = (v: string) => labelInput(JSON.stringify({ a: 'x'.repeat(300), b: v })).label!;
    expect(leg('1')).not.toBe(leg('2'));
    expect(leg('1').length).toBeLessThanOrEqual(200);
    expect(leg('1')).toMatch(/… #[0-9a-f]{8}$/);
  });
});
