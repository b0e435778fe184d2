/**
 * Fixed-width text for the log: GitHub's log view and a terminal wrap a longer line into noise,
 * so every line the log table prints fits in WIDTH display columns. Long words (a path, a URL)
 * are cut where they must be; the full text is in the JSON report and the job summary.
 */

export const WIDTH = 120;

// East Asian wide and fullwidth characters and emoji take two columns in a terminal; combining
// marks and zero-width characters none.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;
const ZERO = /\p{Mn}|\p{Me}|[\u200b-\u200f\u2060]|\ufe0e|\ufe0f/u;

/** The columns a string takes in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return width;
}

/** `text` padded with blanks to `width` display columns. */
export function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The longest head of `word` that fits in `width` columns (at least one character). */
function cut(word: string, width: number): [string, string] {
  const chars = [...word];
  let used = 0;
  let i = 0;
  while (i < chars.length && used + displayWidth(chars[i]!) <= width) used += displayWidth(chars[i++]!);
  const at = Math.max(1, i);
  return [chars.slice(0, at).join(''), chars.slice(at).join('')];
}

/**
 * One line as lines of at most `width` columns: broken at blanks, a word longer than a line cut;
 * each line after the first indented by `indent` blanks.
 */
export function wrap(line: string, width = WIDTH, indent = 2): string[] {
  if (displayWidth(line) <= width) return [line];
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let current = '';
  const room = () => width - displayWidth(current);
  for (let word of line.split(' ')) {
    const sep = current.trim() === '' ? '' : ' ';
    if (displayWidth(sep + word) <= room()) {
      current += sep + word;
      continue;
    }
    if (current.trim() !== '') {
      lines.push(current.trimEnd());
      current = pad;
    }
    while (displayWidth(word) > room()) {
      const [head, rest] = cut(word, room());
      lines.push(current + head);
      current = pad;
      word = rest;
    }
    current += word;
  }
  if (current.trim() !== '') lines.push(current.trimEnd());
  return lines;
}

/** Every line wrapped to `width`. */
export function wrapAll(lines: readonly string[], width = WIDTH): string[] {
  return lines.flatMap((l) => wrap(l, width));
}

/** Rows as fixed-width columns joined by ' | ', without trailing blanks; a rule under the first row if asked. */
export function aligned(rows: readonly string[][], ruleUnderHeader = false): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => padTo(cell, widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const lines = rows.map(line);
  if (ruleUnderHeader) lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('-+-'));
  return lines;
}

/**
 * A table whose first column names the row, as one or more tables of at most `width` columns:
 * the other columns go, in order, into as many tables as they need, each with the first column.
 */
export function fittedTables(rows: readonly string[][], width = WIDTH): string[] {
  const columns = (rows[0] ?? []).length;
  const widthOf = (i: number) => Math.max(...rows.map((row) => displayWidth(row[i] ?? '')));
  const groups: number[][] = [];
  let group: number[] = [];
  let used = widthOf(0);
  for (let i = 1; i < columns; i++) {
    const more = 3 + widthOf(i);
    if (group.length > 0 && used + more > width) {
      groups.push(group);
      group = [];
      used = widthOf(0);
    }
    group.push(i);
    used += more;
  }
  if (group.length > 0 || groups.length === 0) groups.push(group);
  return groups.flatMap((cols, n) => [
    ...(n > 0 ? [''] : []),
    ...aligned(
      rows.map((row) => [row[0] ?? '', ...cols.map((i) => row[i] ?? '')]),
      true,
    ),
  ]);
}
