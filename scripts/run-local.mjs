#!/usr/bin/env node
// Runs the bundled action on this machine the way GitHub Actions does: inputs as INPUT_*
// variables (action.yml's default for every input not given), outputs in a GITHUB_OUTPUT
// file, the job summary in GITHUB_STEP_SUMMARY, scratch space in RUNNER_TEMP.
// Flags name the inputs:
//   npm run local -- --probe-mode strict --min-tls-version 1.3 --python-path /usr/bin/python3
// Only the inputs the user gave are passed (action.yml's defaults for the rest). With client
// python (the default), no --python-path and no input of a build (--python-version,
// --openssl-version, --runtime-cache, ...: BUILD_INPUTS below), the machine's `python3` is
// probed, as --python-path python3 would, and the run says so; --build or any build input builds
// instead. --dry-run prints what would run and stops. --help lists the inputs; an input
// action.yml does not declare is warned about as the runner warns about it.
// Inputs can also come from the environment as INPUT_<NAME>.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionDefaults, inputVariable, runnerInputEnv } from './runner-inputs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionYml = path.join(root, 'action.yml');
const declared = parse(readFileSync(actionYml, 'utf8')).inputs ?? {};
const args = process.argv.slice(2);

/** The inputs that obtain a runtime (src/inputs/inputs.ts BUILD_INPUTS; test/action/local-runner.action.test.ts keeps them equal). */
const BUILD_INPUTS = [
  'python-version',
  'python-version-file',
  'openssl-version',
  'python-source-url',
  'openssl-source-url',
  'python-sha256',
  'openssl-sha256',
  'allow-unverified-source',
  'build-jobs',
  'cache',
  'runtime-cache',
  'check-latest',
  'optimize',
  'freethreaded',
  'create-archive',
  'runtime-archive-url',
  'runtime-archive-sha256',
  'runtime-index',
  'verify-provenance',
  'fips',
  'fips-provider-version',
];

/** Text as lines of at most `width` columns, each indented by `indent`. */
function wrapped(text, indent, width = 100) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run local -- [--build] [--dry-run] [--INPUT-NAME VALUE ...]\n');
  console.log("Runs dist/index.js as the Actions runner does. The inputs (action.yml's):");
  for (const [name, spec] of Object.entries(declared)) {
    const about = String(spec?.description ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    const def = spec?.default !== undefined ? ` (default: ${JSON.stringify(String(spec.default))})` : '';
    console.log(`  --${name}${def}\n${wrapped(about, '      ')}`);
  }
  console.log(
    `  --build\n${wrapped(
      'Build (or find) a hardened runtime, as a workflow without python-path does. Any of --' +
        BUILD_INPUTS.join(', --') +
        " implies it. Without it, client python probes the machine's python3 (as --python-path python3).",
      '      ',
    )}`,
  );
  console.log(
    `  --dry-run\n${wrapped('Print the inputs that would be passed and what would run; run nothing.', '      ')}`,
  );
  process.exit(0);
}

const inputs = {};
let build = false;
let dryRun = false;
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  if (flag === '--build') {
    build = true;
    continue;
  }
  if (flag === '--dry-run') {
    dryRun = true;
    continue;
  }
  if (!flag.startsWith('--') || args[i + 1] === undefined) {
    console.error(
      `usage: npm run local -- [--build] [--INPUT-NAME VALUE ...] (got '${flag}'; --help lists the inputs)`,
    );
    process.exit(2);
  }
  inputs[flag.slice(2)] = args[++i];
}
// As the runner warns about a `with:` key action.yml does not declare (and passes it on all the same).
const unexpected = Object.keys(inputs).filter((name) => !(name in declared));
if (unexpected.length) {
  const valid = Object.keys(declared).map((n) => `'${n}'`);
  console.log(
    `##[warning]Unexpected input(s) ${unexpected.map((n) => `'${n}'`).join(', ')}, valid inputs are [${valid.join(', ')}]`,
  );
}
// The machine's python3 stands in for a build only where the client is python and the user gave
// no input of a build: then the run says so. Every other input is passed only as the user gave it.
const given = (name) => inputs[name] ?? process.env[inputVariable(name)];
const client = given('client') || actionDefaults(actionYml).client;
const buildInputs = BUILD_INPUTS.filter((name) => given(name) !== undefined && given(name) !== '');
build ||= buildInputs.length > 0;
const probePython3 = !build && client === 'python' && !given('python-path');
if (probePython3) inputs['python-path'] = 'python3';
// action.yml's defaults, then INPUT_* variables from the environment, then the flags.
const env = { ...runnerInputEnv({}), ...process.env, ...runnerInputEnv(inputs, {}) };
const plan = probePython3
  ? "probing the machine's python3 (as --python-path python3; --build or a build input such as --python-version builds instead)"
  : client === 'python' && !given('python-path')
    ? `building or finding a hardened runtime${buildInputs.length ? ` (${buildInputs.map((n) => `--${n}`).join(', ')})` : ' (--build)'}`
    : `probing client ${client} as given`;
console.log(`npm run local: ${plan}`);
if (dryRun) {
  const passed = Object.entries(inputs).map(([name, value]) => `  ${inputVariable(name)}=${value}`);
  console.log(["inputs given (action.yml's defaults for the rest):", ...passed].join('\n'));
  process.exit(0);
}

const temp = mkdtempSync(path.join(tmpdir(), 'tls-floor-local-'));
env.RUNNER_TEMP ??= temp;
env.RUNNER_TOOL_CACHE ??= path.join(root, '.cache', 'toolcache');
env.GITHUB_OUTPUT = path.join(temp, 'output');
env.GITHUB_STEP_SUMMARY = path.join(temp, 'summary.md');
env.GITHUB_PATH = path.join(temp, 'path');
env.GITHUB_ENV = path.join(temp, 'env');
for (const file of [env.GITHUB_OUTPUT, env.GITHUB_STEP_SUMMARY, env.GITHUB_PATH, env.GITHUB_ENV])
  writeFileSync(file, '');

const result = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], { env, stdio: 'inherit' });
console.log('\n--- outputs (GITHUB_OUTPUT) ---');
console.log(
  readFileSync(env.GITHUB_OUTPUT, 'utf8')
    .replace(/^ghadelimiter_.*\n/gm, '')
    .replace(/<<ghadelimiter_.*\n/g, ': '),
);
const added = readFileSync(env.GITHUB_PATH, 'utf8').trim();
if (added) console.log(`--- added to PATH (GITHUB_PATH): ${added}`);
const exported = readFileSync(env.GITHUB_ENV, 'utf8')
  .replace(/^ghadelimiter_.*\n/gm, '')
  .replace(/<<ghadelimiter_.*\n/g, '=')
  .trim();
if (exported) console.log(`--- exported (GITHUB_ENV):\n${exported}`);
console.log(`--- job summary: ${env.GITHUB_STEP_SUMMARY}`);
console.log(`--- exit code: ${result.status}`);
process.exit(result.status ?? 1);
