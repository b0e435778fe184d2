import { createHash } from 'node:crypto';
import { clip, InputError } from '../shared/errors.js';

/**
 * label: the run's name in the report (run.label), the job summary, and the merge action's
 * table, SARIF categories and JUnit suites. action.yml's default is `${{ toJSON(matrix) }}`:
 * an action's input defaults may read the github, strategy, matrix, job and runner contexts
 * (the runner's action_yaml.json, input-default-context), while the environment gives an
 * action only GITHUB_JOB, the same for every leg of a matrix. So a matrix leg is named by its
 * matrix values (`python=3.12, os=ubuntu-24.04`), and a job outside a matrix (the runner
 * passes `null`) by its runtime, floor and probe mode once they are known (report/run.ts).
 */

// biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression, not a template
export const LABEL_DEFAULT = '${{ toJSON(matrix) }}';
export const MAX_LABEL_CHARS = 200;

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** The label as given, or the matrix values the runner put in the default; undefined: none (derived later). */
export function labelInput(raw: string): { label?: string } {
  const value = raw.trim();
  // Outside the runner the default arrives unevaluated; outside a matrix the runner gives `null`.
  if (value === '' || value === 'null' || value === LABEL_DEFAULT) return {};
  const matrix = matrixValues(value);
  if (matrix !== undefined) {
    if (!matrix) return {};
    // Clipped matrix values stay unique: the hash of all of them follows.
    return {
      label: matrix.length > MAX_LABEL_CHARS ? `${matrix.slice(0, MAX_LABEL_CHARS - 12)}… #${short(value)}` : matrix,
    };
  }
  const line = value.replace(/\s+/g, ' ');
  if (line.length > MAX_LABEL_CHARS)
    throw new InputError(
      `label: '${clip(line, 40)}' is too long; give at most ${MAX_LABEL_CHARS} characters (a name for this job or matrix leg).`,
    );
  return { label: line };
}

/** `key=value, ...` from the JSON of a matrix context; undefined when the text is no JSON object. */
function matrixValues(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return Object.entries(parsed)
    .map(([key, v]) => `${key}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ')
    .replace(/\s+/g, ' ');
}
