// The inputs as the Actions runner passes them to the action: every input action.yml declares
// with a `default:` is set to that default unless the workflow gives a value, and each becomes
// the variable @actions/core getInput reads: INPUT_ + the name with spaces as _, upper-cased
// (dashes stay: INPUT_PYTHON-PATH). Every action.yml of the repository (the action's, merge/'s)
// is read the same way. Shared by test/fixtures, scripts/run-local.mjs and the
// benchmark scripts, so that nothing here runs the bundle with inputs users never see.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The variable the runner sets for an input (and core.getInput reads). */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * A default as the runner evaluates it: `${{ github.token }}` is the job's token there; here,
 * GITHUB_TOKEN if the environment has one, else empty (no token). No other expression is used.
 */
function evaluated(value) {
  return /^\$\{\{\s*github\.token\s*\}\}$/.test(value) ? (process.env.GITHUB_TOKEN ?? '') : value;
}

/** action.yml's default of every input that has one, as the string the runner passes. */
export function actionDefaults(actionYml = path.join(root, 'action.yml')) {
  const inputs = parse(readFileSync(actionYml, 'utf8')).inputs ?? {};
  const defaults = {};
  for (const [name, spec] of Object.entries(inputs)) {
    if (spec && spec.default !== undefined && spec.default !== null) defaults[name] = evaluated(String(spec.default));
  }
  return defaults;
}

/** The bundle an action.yml runs (runs.main, relative to the action's folder), as an absolute path. */
export function actionMain(actionYml = path.join(root, 'action.yml')) {
  const runs = parse(readFileSync(actionYml, 'utf8')).runs ?? {};
  if (runs.using !== 'node24' || typeof runs.main !== 'string') throw new Error(`${actionYml}: not a node24 action`);
  return path.resolve(path.dirname(actionYml), runs.main);
}

/**
 * The INPUT_* variables of one step: action.yml's defaults, then the workflow's `with:`
 * values over them (a value given as '' stays '', as the runner passes it).
 */
export function runnerInputEnv(given, defaults = actionDefaults()) {
  const env = {};
  for (const [name, value] of Object.entries({ ...defaults, ...given })) env[inputVariable(name)] = value;
  return env;
}
