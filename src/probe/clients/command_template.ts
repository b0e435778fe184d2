import { mention, Refusal } from '../../shared/errors.js';

/** What `client-command` may name; nothing else (no other input) is ever substituted. */
export const PLACEHOLDERS = ['host', 'port', 'url', 'ca', 'version'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

export interface CommandTemplate {
  text: string;
  shell: boolean;
  /** Without a shell: the template split into words before any substitution. */
  words: string[];
}

const PLACEHOLDER = /\{([A-Za-z_][\w-]*)\}/g;

/** Checks and splits a command template; every problem is one refusal of the command. */
export function parseTemplate(text: string, shell: boolean): CommandTemplate {
  const trimmed = text.trim();
  if (!trimmed)
    throw new Refusal(
      'command',
      'required with ',
      mention('client'),
      `: command; give a command such as 'curl --cacert {ca} {url}' (placeholders: ${list()}).`,
    );
  // A placeholder's name after a brace that is never closed ('curl {ca', '{url -k'): a mistyped
  // placeholder, not text to pass on (a shell's own braces, '{ cmd; }' or awk's '{print}', stay).
  const open = new RegExp(`\\{(${PLACEHOLDERS.join('|')})(?![\\w-]*\\})`).exec(trimmed);
  if (open) {
    throw new Refusal('command', `'{${open[1]}' has no closing brace; use ${list()}, each closed.`);
  }
  for (const [, name] of trimmed.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
      throw new Refusal('command', `unknown placeholder {${name}}; use ${list()}.`);
    }
  }
  const words = shell ? [] : splitWords(trimmed);
  return { text: trimmed, shell, words };
}

/**
 * The program and its arguments for one handshake. Without a shell each word is filled in
 * on its own, so a value can never become two arguments; with one, each value is quoted.
 */
export function fillTemplate(
  template: CommandTemplate,
  values: PlaceholderValues,
): { command: string; args: string[] } {
  if (template.shell) {
    return { command: '/bin/sh', args: ['-c', substitute(template.text, values, shellQuote)] };
  }
  const [command, ...args] = template.words.map((w) => substitute(w, values, (v) => v));
  return { command: command ?? '', args };
}

function substitute(text: string, values: PlaceholderValues, quote: (value: string) => string): string {
  return text.replace(PLACEHOLDER, (_, name: Placeholder) => quote(values[name]));
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** POSIX-like word splitting: blanks separate, '...' is literal, "..." and \ escape. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && i + 1 < text.length) word += text[++i];
      else word += c;
    }
  }
  if (quote) throw new Refusal('command', `unbalanced ${quote} quote; quote each argument that holds blanks.`);
  if (inWord) words.push(word);
  return words;
}

function list(): string {
  return PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
}
