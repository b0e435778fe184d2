/** The variable the runner sets for an input (and core.getInput reads). */
export function inputVariable(name: string): string;
/** action.yml's default of every input that has one, as the string the runner passes. */
export function actionDefaults(actionYml?: string): Record<string, string>;
/** The bundle an action.yml runs (runs.main, relative to the action's folder), as an absolute path. */
export function actionMain(actionYml?: string): string;
/** The INPUT_* variables of one step: action.yml's defaults, then the given values over them. */
export function runnerInputEnv(
  given: Record<string, string>,
  defaults?: Record<string, string>,
): Record<string, string>;
