import { clip, InputError } from '../shared/errors.js';
import { type WorkspaceFileRules, workspacePath } from './workspace-file.js';

/** inputs.ts's InputReader (not imported: inputs.ts imports this module). */
type InputReader = (name: string) => string;

export const BASELINE_MODES = ['fail', 'warn', 'update'] as const;
export type BaselineMode = (typeof BASELINE_MODES)[number];

/**
 * baseline: a path in the workspace, checked here (inside the workspace once links are resolved,
 * its folder existing) so a bad one is refused before anything runs; read and written by the
 * action's edge (action/baseline.ts). baseline-mode: what a difference does.
 */
export async function baselineInput(read: InputReader): Promise<{ baseline?: { file: string; mode: BaselineMode } }> {
  const raw = read('baseline-mode').trim().toLowerCase() || 'fail';
  if (!(BASELINE_MODES as readonly string[]).includes(raw))
    throw new InputError(
      `baseline-mode: '${clip(raw)}' is not allowed; use ${BASELINE_MODES.join(', ')} (default fail).`,
    );
  const mode = raw as BaselineMode;
  const file = read('baseline').trim();
  if (!file) return {};
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file))
    throw new InputError(`baseline: '${clip(file, 60)}' is a URL; give a path in the workspace (a file to commit).`);
  await workspacePath(file, process.env['GITHUB_WORKSPACE'] || process.cwd(), BASELINE_FILE);
  return { baseline: { file, mode } };
}

/** How a baseline file is read (inputs/workspace-file.ts): bounded, inside the workspace, the input named. */
export const BASELINE_FILE: WorkspaceFileRules = {
  refuse: (why) => new InputError(`baseline: ${why}`),
  maxBytes: 1024 * 1024,
  kind: 'a baseline',
  give: 'a path in the workspace (a file to commit)',
};
