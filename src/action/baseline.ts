import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BASELINE_FILE, type BaselineMode } from '../inputs/baseline.js';
import { readWorkspaceFile, workspacePath } from '../inputs/workspace-file.js';
import { parsePosture, postureDifferences, postureOf, renderPosture } from '../report/posture.js';
import type { Report } from '../report/report.js';
import { clip, InputError } from '../shared/errors.js';

const RULES = BASELINE_FILE;

/**
 * The run against its baseline: `written` (there was none: this run's posture becomes it),
 * `same`, `drift` (the differences, one line each, as foreign text), or `updated`
 * (baseline-mode: update rewrote it). `fails`: a drift the mode says fails the step.
 */
export interface BaselineOutcome {
  file: string;
  shown: string;
  mode: BaselineMode;
  status: 'written' | 'same' | 'drift' | 'updated';
  differences: string[];
  fails: boolean;
  /** The posture of this run, as the file holds it. */
  text: string;
}

/** Reads the baseline (bounded, inside the workspace) and compares it with the run's posture; writes nothing. */
export async function compareBaseline(
  report: Report,
  baseline: { file: string; mode: BaselineMode },
  workspace = process.env['GITHUB_WORKSPACE'] || process.cwd(),
): Promise<BaselineOutcome> {
  const text = renderPosture(postureOf(report));
  const file = await workspacePath(baseline.file, workspace, RULES);
  const shown = clip(baseline.file, 100);
  const held = await readWorkspaceFile(baseline.file, workspace, RULES, true);
  const base = { file, shown, mode: baseline.mode, text };
  if (held === undefined) return { ...base, status: 'written', differences: [], fails: false };
  const before = parsePosture(held);
  if ('problem' in before)
    throw new InputError(`baseline: ${shown} is not a baseline (${before.problem}); remove it to write a new one.`);
  const differences = postureDifferences(before, postureOf(report));
  if (differences.length === 0) return { ...base, status: 'same', differences, fails: false };
  if (baseline.mode === 'update') return { ...base, status: 'updated', differences, fails: false };
  return { ...base, status: 'drift', differences, fails: baseline.mode === 'fail' };
}

/** Writes the posture where the outcome says to (written, updated): whole or not at all. */
export async function saveBaseline(outcome: BaselineOutcome): Promise<void> {
  if (outcome.status !== 'written' && outcome.status !== 'updated') return;
  const temporary = path.join(path.dirname(outcome.file), `.${path.basename(outcome.file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, outcome.text, { flag: 'wx', mode: 0o644 });
    await rename(temporary, outcome.file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new InputError(
      `baseline: cannot write ${outcome.shown} (${(error as NodeJS.ErrnoException).code ?? 'unwritable'}); give a path in the workspace the job can write.`,
    );
  }
}

/** The report with what its baseline said, so that the merge action can gather a matrix's drift. */
export function withBaselineFacts(report: Report, outcome: BaselineOutcome): Report {
  const differences = outcome.differences.slice(0, 200);
  return { ...report, baseline: { file: outcome.shown, status: outcome.status, differences } };
}
