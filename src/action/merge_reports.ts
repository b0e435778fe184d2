import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import * as glob from '@actions/glob';
import { type Refusal, refuseReport } from '../report/evidence.js';
import type { Report } from '../report/report.js';
import { clip, InputError } from '../shared/errors.js';

/**
 * The reports a matrix's jobs uploaded, as the merge job downloaded them: the `reports` glob
 * (as actions/upload-artifact matches paths), walked only under the workspace and RUNNER_TEMP,
 * symbolic links not followed, each match a regular file of bounded size, a bounded number.
 */

export const MAX_REPORT_BYTES = 16 * 1024 * 1024;
export const MAX_REPORTS = 1000;

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
  for await (const file of globber.globGenerator()) {
    if (++seen > MAX_REPORTS)
      throw new InputError(`reports: the glob matches more than ${MAX_REPORTS} files; narrow it to the reports.`);
    const source = relativeName(file, roots);
    const problem = await fileProblem(file, within);
    if (problem) {
      refused.push({ source, reason: problem });
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      refused.push({ source, reason: 'not JSON, so not a tls-floor report' });
      continue;
    }
    const reason = refuseReport(document);
    if (reason) refused.push({ source, reason });
    else reports.push({ source, report: document as Report });
  }
  return { reports, refused };
}

/** Why a matched path is not read: not a regular file, a link out of the roots, too large. */
async function fileProblem(file: string, within: (file: string) => boolean): Promise<string | undefined> {
  const stat = await lstat(file);
  if (!stat.isFile()) return 'not a regular file';
  if (!within(await realpath(file))) return 'outside the workspace and RUNNER_TEMP';
  if (stat.size > MAX_REPORT_BYTES) return `${stat.size} bytes, more than a report's ${MAX_REPORT_BYTES}`;
  return undefined;
}

/** The file as the summary names it: relative to the workspace or RUNNER_TEMP, with forward slashes. */
function relativeName(file: string, roots: { workspace: string; temp: string }): string {
  for (const root of [roots.workspace, roots.temp]) {
    const rel = path.relative(root, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file;
}
