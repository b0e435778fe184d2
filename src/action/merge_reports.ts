import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import * as glob from '@actions/glob';
import type { Refusal } from '../report/evidence.js';
import type { Report } from '../report/report.js';
import { clip, InputError } from '../shared/errors.js';
import { refuseReport } from './merge_schema.js';

/**
 * The reports a matrix's jobs uploaded, as the merge job downloaded them: the `reports` glob
 * (as actions/upload-artifact matches paths), walked only under the workspace and RUNNER_TEMP,
 * symbolic links not followed, each match a regular file of bounded size, a bounded number,
 * bounded in all; each file's nesting depth is counted on its bytes before JSON.parse (whose
 * recursion a file of 200,000 `[` would exhaust), then checked against the report format.
 */

export const MAX_REPORT_BYTES = 16 * 1024 * 1024;
export const MAX_REPORTS = 1000;
/** All the reports a merge reads together (each is kept whole in the aggregate report). */
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;
/** A report nests 6 deep (its context a few more): anything deeper is no report. */
export const MAX_DEPTH = 32;

export interface Collected {
  reports: Array<{ source: string; report: Report }>;
  refused: Refusal[];
}

const inside = (file: string, root: string) => {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

export async function collectReports(patterns: string, roots: { workspace: string; temp: string }): Promise<Collected> {
  const allowed = await Promise.all([roots.workspace, roots.temp].map((r) => realpath(r).catch(() => path.resolve(r))));
  const within = (file: string) => allowed.some((root) => inside(file, root));
  const globber = await glob.create(patterns, { followSymbolicLinks: false, matchDirectories: false });
  for (const searched of globber.getSearchPaths()) {
    if (!within(path.resolve(searched)))
      throw new InputError(
        `reports: '${clip(searched)}' is outside the workspace and RUNNER_TEMP; give a glob under them (e.g. reports/**/*.json).`,
      );
  }
  const reports: Collected['reports'] = [];
  const refused: Refusal[] = [];
  let seen = 0;
  let total = 0;
  for await (const file of globber.globGenerator()) {
    if (++seen > MAX_REPORTS)
      throw new InputError(`reports: the glob matches more than ${MAX_REPORTS} files; narrow it to the reports.`);
    const source = relativeName(file, roots);
    const problem = await fileProblem(file, within, MAX_TOTAL_BYTES - total);
    if (problem) {
      refused.push({ source, reason: problem });
      continue;
    }
    const bytes = await readFile(file);
    total += bytes.length;
    const read = parseBounded(bytes);
    if (typeof read === 'string') {
      refused.push({ source, reason: read });
      continue;
    }
    const reason = refuseReport(read.document);
    if (reason) refused.push({ source, reason });
    else reports.push({ source, report: read.document as Report });
  }
  return { reports, refused };
}

/** Why a matched path is not read: not a regular file, a link out of the roots, too large. */
async function fileProblem(file: string, within: (file: string) => boolean, left: number): Promise<string | undefined> {
  const stat = await lstat(file);
  if (!stat.isFile()) return 'not a regular file';
  if (!within(await realpath(file))) return 'outside the workspace and RUNNER_TEMP';
  if (stat.size > MAX_REPORT_BYTES) return `${stat.size} bytes, more than a report's ${MAX_REPORT_BYTES}`;
  if (stat.size > left)
    return `${stat.size} bytes, past the ${MAX_TOTAL_BYTES} bytes the merge reads in all (merge fewer reports per step)`;
  return undefined;
}

/** The deepest nesting of arrays and objects in JSON text, counted on its bytes (strings skipped); stops past `limit`. */
export function nestingDepth(bytes: Uint8Array, limit = MAX_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c)
        i++; // a backslash escapes the next byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return deepest;
}

/** The JSON document of a file, or why it is none: too deep (before parsing), not UTF-8 JSON. */
function parseBounded(bytes: Uint8Array): { document: unknown } | string {
  const depth = nestingDepth(bytes);
  if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} deep, so not a tls-floor report`;
  try {
    return { document: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return 'not JSON, so not a tls-floor report';
  }
}

/** The file as the summary names it: relative to the workspace or RUNNER_TEMP, with forward slashes. */
function relativeName(file: string, roots: { workspace: string; temp: string }): string {
  for (const root of [roots.workspace, roots.temp]) {
    const rel = path.relative(root, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file;
}
