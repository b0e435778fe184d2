import type { Agreement, Evidence } from '../judgement/corroboration.js';
import type { Status } from '../judgement/evaluate.js';
import { VERDICTS } from '../judgement/verdict.js';
import type { Outcome } from '../probe/handshake.js';
import { REPORT_FORMAT } from '../report/report.js';
import { FLOORS } from '../shared/floor.js';
import { foreign } from '../shared/foreign.js';

/**
 * The report format (src/report/report.ts, format 2) as the merge reads it: every field the
 * merge renders or recomputes the verdict from, with its type, its allowed values and its size.
 * A report is foreign input (another job wrote it, anyone with write access to an artifact can
 * change it), so it is checked whole before anything reads a field: a mistyped field is one
 * line naming the field, never a JavaScript error. Fields the merge does not read may be there
 * (a newer writer's additions); the nesting depth of the whole file is bounded before parsing
 * (maxDepth in merge_reports.ts).
 */

/** Identifiers and short names: ids, rule ids, versions, a job name, a label. */
export const MAX_NAME = 1024;
/** Sentences: a finding, a summary, a rule's sentence. */
export const MAX_TEXT = 16 * 1024;
/** A list of handshakes or server records. */
const MAX_LIST = 10_000;

type Check = (value: unknown, at: string) => string | undefined;

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

const str =
  (max: number): Check =>
  (v, at) =>
    typeof v !== 'string'
      ? `${at} is ${kind(v)}, not a string`
      : v.length > max
        ? `${at} has ${v.length} characters, more than ${max}`
        : undefined;
const name = str(MAX_NAME);
const text = str(MAX_TEXT);
const num: Check = (v, at) =>
  typeof v === 'number' && Number.isFinite(v) ? undefined : `${at} is ${kind(v)}, not a number`;
const int: Check = (v, at) =>
  Number.isInteger(v) && (v as number) >= 0 ? undefined : `${at} is ${kind(v)}, not a whole number`;
const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : `${at} is ${kind(v)}, not true or false`);
const oneOf =
  (values: readonly unknown[]): Check =>
  (v, at) =>
    values.includes(v) ? undefined : `${at} is not one of ${values.join(', ')}`;
const nullable =
  (check: Check): Check =>
  (v, at) =>
    v === null ? undefined : check(v, at);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const anyObject: Check = (v, at) => (isObject(v) ? undefined : `${at} is ${kind(v)}, not an object`);
const anyArray: Check = (v, at) => (Array.isArray(v) ? undefined : `${at} is ${kind(v)}, not an array`);

const list =
  (item: Check, max: number): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return `${at} is ${kind(v)}, not an array`;
    if (v.length > max) return `${at} has ${v.length} entries, more than ${max}`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

/** Each value of an object whose keys are data (settings by name): the keys are not named in a message. */
const record =
  (value: Check, max: number): Check =>
  (v, at) => {
    if (!isObject(v)) return `${at} is ${kind(v)}, not an object`;
    const entries = Object.entries(v);
    if (entries.length > max) return `${at} has ${entries.length} keys, more than ${max}`;
    for (const [key, item] of entries) {
      if (key.length > MAX_NAME) return `${at} has a key of ${key.length} characters, more than ${MAX_NAME}`;
      const problem = value(item, `${at}{}`);
      if (problem) return problem;
    }
    return undefined;
  };

/** An object with these fields (a `?` after a name: the field may be absent). */
const shape =
  (fields: Record<string, Check>): Check =>
  (v, at) => {
    if (!isObject(v)) return `${at} is ${kind(v)}, not an object`;
    for (const [key, check] of Object.entries(fields)) {
      const optional = key.endsWith('?');
      const field = optional ? key.slice(0, -1) : key;
      const value = v[field];
      if (value === undefined) {
        if (optional) continue;
        return `${at}.${field} is missing`;
      }
      const problem = check(value, `${at}.${field}`);
      if (problem) return problem;
    }
    return undefined;
  };

const OUTCOMES = ['connected', 'refused', 'certificate', 'network', 'timeout', 'error'] as const satisfies Outcome[];
const EVIDENCE = [...OUTCOMES, 'unconfirmed'] as const satisfies Evidence[];
const AGREEMENTS = ['confirmed', 'contradicted', 'unseen'] as const satisfies Agreement[];
const STATUSES = ['pass', 'fail', 'warn', 'untestable', 'not-applicable'] as const satisfies Status[];
const nstr = nullable(name);

const serverSide = {
  port: int,
  bytesIn: num,
  hello: bool,
  completed: bool,
  'version?': name,
  'cipher?': name,
  'code?': name,
  'error?': text,
  'requested?': bool,
};
const clientOwn = { 'version?': name, 'cipher?': name, 'reason?': text, 'error?': text };

const REPORT = shape({
  createdAt: name,
  run: shape({
    repository: nstr,
    sha: nstr,
    ref: nstr,
    workflowRef: nstr,
    runId: nstr,
    runAttempt: nstr,
    runUrl: nstr,
    job: nstr,
    'label?': nstr,
    runner: shape({ os: nstr, arch: nstr, name: nstr, image: nstr, imageVersion: nstr }),
    action: shape({ repository: nstr, ref: nstr, version: name }),
  }),
  floor: oneOf(FLOORS),
  probeMode: oneOf(['both', 'strict', 'default']),
  deciders: list(name, 100),
  verdict: oneOf(VERDICTS),
  summary: text,
  'negotiatedVersion?': name,
  findings: list(
    shape({ verdict: oneOf(VERDICTS.filter((v) => v !== 'pass')), server: name, client: name, message: text }),
    MAX_LIST,
  ),
  runtime: shape({ kind: name, path: str(4096), version: name, tlsLibrary: name, details: anyObject }),
  clients: list(
    shape({
      name,
      settings: record(text, 100),
      ran: bool,
      'skipped?': text,
      'mode?': oneOf(['default', 'strict']),
      'optional?': bool,
    }),
    100,
  ),
  clientOutcomes: anyArray,
  servers: list(
    shape({
      id: name,
      role: oneOf(['modern', 'legacy', 'policy']),
      'expect?': oneOf(['connect', 'refuse']),
      versions: list(name, 10),
      port: int,
    }),
    100,
  ),
  handshakes: list(
    shape({
      server: name,
      client: name,
      outcome: oneOf(EVIDENCE),
      ...clientOwn,
      agreement: oneOf(AGREEMENTS),
      'note?': text,
      clientSaid: shape({ outcome: oneOf(OUTCOMES), ...clientOwn, 'ports?': list(int, 1000) }),
      serverSaw: list(shape(serverSide), 1000),
      expected: oneOf(['connect', 'refuse']),
    }),
    MAX_LIST,
  ),
  unclaimed: list(shape({ server: name, ...serverSide }), MAX_LIST),
  clientHelloFacts: anyObject,
  unavailable: list(shape({ id: name, reason: text }), 100),
  policy: shape({
    policies: list(name, 20),
    results: list(
      shape({
        policy: name,
        rule: name,
        level: oneOf(['MUST', 'SHOULD']),
        citation: text,
        status: oneOf(STATUSES),
        sentence: text,
        clients: list(shape({ client: name, status: oneOf(STATUSES), finding: text, judged: bool }), 100),
      }),
      2000,
    ),
    failed: list(name, 2000),
    warned: list(name, 2000),
    untestable: list(name, 2000),
    notApplicable: list(name, 2000),
  }),
  durationMs: num,
  'context?': anyObject,
  'lifecycle?': anyArray,
  'certificates?': list(
    shape({ role: name, subject: text, issuer: text, notBefore: name, notAfter: name, key: name, sha256: name }),
    20,
  ),
  'baseline?': shape({
    file: text,
    status: oneOf(['written', 'same', 'drift', 'updated']),
    differences: list(text, 200),
  }),
});

/** Why a parsed JSON document is not a report this version reads (one clause), or undefined when it is one. */
export function refuseReport(document: unknown): string | undefined {
  if (!isObject(document)) return 'not a JSON object';
  if (document['tool'] !== 'tls-floor') return 'not a tls-floor report (no "tool": "tls-floor")';
  if (document['format'] !== REPORT_FORMAT) {
    const format = foreign(document['format'] ?? null, { max: 20 });
    return `a tls-floor report of format ${format}; this version reads format ${REPORT_FORMAT} (re-run the job with the same tls-floor version as the merge)`;
  }
  const problem = REPORT(document, 'report');
  return problem ? `a tls-floor report that does not match its format: ${problem}` : undefined;
}
