import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { readInputs } from '../../src/inputs/inputs.js';
import { VERDICTS } from '../../src/judgement/verdict.js';
import { ACTION_YML, MERGE_ACTION_YML, ROOT } from '../fixtures/action.js';

// The documentation names inputs, outputs and their values in backticks; each must exist as
// action.yml (or merge/action.yml) declares it and as the action reads or sets it. The truth is
// action.yml and the code that reads the inputs, never the page that names them.

const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter(
  (f) => f.endsWith('.md'),
);
const pagesText = new Map(DOCS.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')]));
const text = (file: string) => pagesText.get(file)!;
const declared = (yml: string) => {
  const action = parse(readFileSync(yml, 'utf8')) as { inputs: object; outputs: object };
  return { inputs: new Set(Object.keys(action.inputs)), outputs: new Set(Object.keys(action.outputs)) };
};
const main = declared(ACTION_YML);
const merge = declared(MERGE_ACTION_YML);
const anyName = (name: string) =>
  main.inputs.has(name) || main.outputs.has(name) || merge.inputs.has(name) || merge.outputs.has(name);

/** The values an output takes (src/action/publish.ts sets them): the ones a page may name. */
const OUTPUT_VALUES: Record<string, readonly string[]> = {
  verdict: VERDICTS,
  'cache-hit': ['true', 'false'],
  'runtime-source': ['tool-cache', 'cross-run', 'prebuilt', 'archive', 'built'],
};

/** Every `...` span of every page, with where it is. */
function spans(): Array<{ where: string; code: string; after: string; before: string }> {
  return DOCS.flatMap((file) => {
    // Fenced blocks out first: their ``` would pair with the prose's backticks.
    const prose = text(file).replace(/^\s*```[\s\S]*?^\s*```/gm, '');
    // An inline span may run over a line break (CommonMark): one blank for it.
    return [...prose.matchAll(/`([^`]+)`/g)].map((m) => ({
      where: file,
      code: m[1]!.replace(/\s+/g, ' ').trim(),
      before: prose.slice(Math.max(0, m.index - 12), m.index),
      after: prose.slice(m.index + m[0].length, m.index + m[0].length + 12),
    }));
  });
}

describe('the docs name only inputs, outputs and values that exist', () => {
  it('a name called an input or an output is declared in action.yml or merge/action.yml', () => {
    const wrong = spans()
      .filter(({ code, after, before }) => {
        if (!/^[a-z][a-z0-9-]*$/.test(code)) return false;
        return /^\s+(input|output)s?\b/.test(after) || /\b(input|output)\s+$/.test(before);
      })
      .filter(({ code }) => !anyName(code))
      .map(({ where, code }) => `${where}: ${code}`);
    expect(wrong).toEqual([]);
  });

  it('steps.<id>.outputs.<name> of a tls-floor step names an output of the action or the merge action', () => {
    const wrong = DOCS.flatMap((file) => {
      // The ids of the steps that run tls-floor (uses: <owner>/tls-floor... or ./), an id beside its uses:.
      const lines = text(file).split('\n');
      const ids = new Set(
        lines.flatMap((line, i) =>
          /uses:\s*(<owner>\/tls-floor|\.\/)/.test(line)
            ? lines.slice(Math.max(0, i - 2), i + 3).flatMap((l) => /\bid:\s*([\w-]+)/.exec(l)?.[1] ?? [])
            : [],
        ),
      );
      return [...text(file).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
        .filter((m) => ids.has(m[1]!) && !main.outputs.has(m[2]!) && !merge.outputs.has(m[2]!))
        .map((m) => `${file}: ${m[0]}`);
    });
    expect(wrong).toEqual([]);
  });

  it('`output: value` names a value the action sets (e.g. cache-hit is true or false)', () => {
    const wrong = spans()
      .map((s) => ({ ...s, m: /^([a-z][a-z0-9-]*): (\S+)$/.exec(s.code) }))
      .filter(({ m }) => m && OUTPUT_VALUES[m[1]!] && !OUTPUT_VALUES[m[1]!]!.includes(m[2]!))
      .map(({ where, code }) => `${where}: ${code}`);
    expect(wrong).toEqual([]);
  });

  it('`input: value` names a value the action accepts (as readInputs reads it)', async () => {
    const candidates = spans()
      .map((s) => ({ ...s, m: /^([a-z][a-z0-9-]*): '?([^\s'.]+(?:\.[^\s'.]+)*)'?$/.exec(s.code) }))
      .filter(({ m }) => m && main.inputs.has(m[1]!) && !m[2]!.includes('$'));
    expect(candidates.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const { where, code, m } of candidates) {
      const given: Record<string, string> = { ...actionDefaults(), [m![1]!]: m![2]! };
      // Refused as a value: the one line names the input and says what is allowed.
      const refusal = await readInputs((name) => given[name] ?? '').then(
        () => undefined,
        (error: Error) => error.message,
      );
      // (A page names setup-python's cache: pip to say it is refused: that refusal is not "not allowed".)
      if (refusal?.startsWith(`${m![1]}:`) && /not allowed/.test(refusal)) wrong.push(`${where}: ${code}: ${refusal}`);
    }
    expect(wrong).toEqual([]);
  });

  it('examples pin actions from elsewhere by commit SHA with the version in a comment, as the workflows do', () => {
    const wrong = DOCS.flatMap((file) =>
      [...text(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)]
        .filter(([, ref]) => !ref!.startsWith('./') && !ref!.startsWith('<owner>/'))
        .filter(([, ref, rest]) => !/@[0-9a-f]{40}$/.test(ref!) || !/^\s+# v\d+(\.\d+){0,2}\b/.test(rest!))
        .map(([line]) => `${file}: ${line!.trim()}`),
    );
    expect(wrong).toEqual([]);
  });
});
