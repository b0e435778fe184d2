/**
 * Foreign text: anything another program or file wrote (a report, an index, a probed runtime's
 * self-description, a child's output, a job name). It is data, never markup, so every such string
 * passes through `foreign()` on its way to the log, an annotation, the job summary, SARIF or
 * JUnit. Each target has its own dangers:
 * - log: a CR or LF starts a new line, and a line that starts with `::` (or holds `##[`) is a
 *   workflow command (`::add-mask::`, `::stop-commands::`, `::error::`); control and invisible
 *   characters (ESC, U+202E) rewrite what the reader sees.
 * - markdown: raw HTML (`</table>`, `<img>`), table breakers (`|`, CR, LF), emphasis, links,
 *   autolinks and a block marker at the start (`#`, `-`, `>`).
 * - xml: characters XML 1.0 does not allow (C0 but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
 *   make the whole file unreadable; `&`, `<`, `>`, quotes are escaped.
 * Every target gets one line, clipped to `max` characters with the original length said.
 */
export type ForeignTarget = 'log' | 'markdown' | 'xml';

export interface ForeignOptions {
  /** At most this many characters of the value are kept (before escaping). Default 200. */
  max?: number;
  /** Where the text goes. Default 'log'. */
  for?: ForeignTarget;
}

// C0, DEL, C1, soft hyphen, zero-width and bidirectional controls, line/paragraph separators,
// invisible operators, BOM, interlinear annotations, the replacement-adjacent specials.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const visible = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line: runs of white space folded to a space, every other invisible character shown as \xNN / \uNNNN. */
function oneLine(value: string): string {
  return value
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029 ]+/g, ' ')
    .replace(INVISIBLE, visible)
    .replace(LONE_SURROGATE, visible);
}

// A zero-width space between the colons: the log shows the same text, the runner sees no command.
const forLog = (line: string) => line.replace(/::/g, ':\u200b:').replace(/##\[/g, '#\u200b#[');

const MARKDOWN: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
  ':': '&#58;',
  '!': '&#33;',
  '#': '&#35;',
};
const forMarkdown = (line: string) =>
  line
    .replace(/[&<>"'|\\`*_[\]~:!#]/g, (c) => MARKDOWN[c] ?? c)
    // A block marker at the start (a list, a heading's setext line, an ordered item).
    .replace(/^([-+=]|\d+[.)])/, (m) => `&#${m.charCodeAt(0)};${m.slice(1)}`);

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const forXml = (line: string) => line.replace(/[&<>"']/g, (c) => XML[c] ?? c);

/** `value` made safe for `options.for`, on one line, at most `options.max` characters of it kept. */
export function foreign(value: unknown, options: ForeignOptions = {}): string {
  const max = options.max ?? 200;
  const text = typeof value === 'string' ? value : value === undefined ? '' : (JSON.stringify(value) ?? String(value));
  // Never fold more than needed: a 3 MB value costs only what is shown.
  const kept = text.length > max ? text.slice(0, max) : text;
  let line = oneLine(kept);
  const cut = text.length > max || line.length > max;
  if (line.length > max) line = line.slice(0, max);
  const said = cut ? `... (${text.length} characters)` : '';
  const target = options.for ?? 'log';
  if (target === 'markdown') return forMarkdown(line) + said;
  if (target === 'xml') return forXml(line) + said;
  return forLog(line) + said;
}
