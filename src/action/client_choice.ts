import path from 'node:path';
import type { Inputs } from '../inputs/inputs.js';
import { clientKindNamed, type ProgramClientKind } from '../probe/client_kinds.js';
import { ClientStartError, type ProbeClient } from '../probe/clients/client.js';
import { CommandClient } from '../probe/clients/command.js';
import { type CommandTemplate, parseTemplate } from '../probe/clients/command_template.js';
import { findExecutable } from '../probe/clients/executable.js';
import { PROGRAM_CLIENTS } from '../probe/clients/programs.js';
import { PythonClient } from '../probe/clients/python.js';
import { clip, InputError } from '../shared/errors.js';
import { isNodeLibrary, type PythonLibrary } from '../shared/libraries.js';
import { namingInputs } from './refusals.js';

/** The longest a probe program's build may take (a first Go build compiles net/http). */
const BUILD_TIMEOUT_MS = 600_000;

/** What the inputs say to probe. */
export type ClientChoice = Pick<
  Inputs,
  'client' | 'pythonPath' | 'clientPath' | 'clientCommand' | 'clientShell' | 'libraries' | 'pythonContext'
>;

/** The interpreter of the runtime the action obtained (built, found or installed), for `client: python`. */
export interface ObtainedInterpreter {
  interpreter: string;
  /** For the log: what is probed. */
  label: string;
}

export interface ResolvedClient {
  /** Its failures to start are said in the terms of what chose it (the input, or the obtained runtime). */
  client: ProbeClient;
  /** For the log: what is probed. */
  label: string;
}

/**
 * The one way from the inputs to a client, whatever its kind: the program found (python-path,
 * client-path, the program of client-command, the obtained runtime's interpreter), the client
 * made. This is the edge where a client's failure to start becomes an error naming the input
 * that chose the program; the clients themselves (probe/clients/) never name an input.
 */
export async function resolveClient(choice: ClientChoice, obtained?: ObtainedInterpreter): Promise<ResolvedClient> {
  if (choice.client === 'python') return python(choice, obtained);
  if (choice.client === 'command') return userCommand(choice);
  const program = clientKindNamed(choice.client)?.program;
  if (!program) throw new Error(`client ${choice.client} has no program to find`);
  const binary = await given('client-path', choice.clientPath ?? program.default, program.advice);
  const made = PROGRAM_CLIENTS[choice.client as ProgramClientKind](binary, {
    libraries: choice.libraries ?? [],
    workspace: process.env['GITHUB_WORKSPACE'] || process.cwd(),
  });
  const client = namedBy('client-path', made);
  // A program built for the probe (Go, Java) is built now, outside the probe's time limit.
  await client.prepare?.(AbortSignal.timeout(BUILD_TIMEOUT_MS));
  return { client, label: `${program.label} ${binary}` };
}

/** client: python: python-path, else the runtime the action obtained. */
async function python(choice: ClientChoice, obtained?: ObtainedInterpreter): Promise<ResolvedClient> {
  if (choice.pythonPath) {
    const interpreter = await given(
      'python-path',
      choice.pythonPath,
      'give a path to a Python >= 3.6 interpreter or a command name on PATH.',
    );
    return { client: namedBy('python-path', pythonClient(interpreter, choice)), label: interpreter };
  }
  if (!obtained)
    throw new Error('client python without python-path: the runtime must be obtained before the client is resolved');
  return { client: obtainedRuntime(pythonClient(obtained.interpreter, choice)), label: obtained.label };
}

/** client: command: the template checked, its program found. */
async function userCommand(choice: ClientChoice): Promise<ResolvedClient> {
  const template = command(choice.clientCommand ?? '', choice.clientShell);
  const program = template.shell ? '/bin/sh' : (template.words[0] ?? '');
  await findExecutable(program, '').catch((error: unknown) => {
    if (!(error instanceof ClientStartError)) throw error;
    throw new InputError(
      `client-command: cannot find the program '${clip(program, 100)}'; give a command on PATH or a path to one.`,
    );
  });
  return {
    client: namedBy('client-command', new CommandClient(template)),
    label: `the command '${clip(template.text, 200)}'`,
  };
}

/**
 * The Python client for the inputs: the library clients chosen, the application's context
 * (its module looked for on PYTHONPATH, which the probe's -E leaves out, on the interpreter's
 * own path, then in the workspace).
 */
function pythonClient(interpreter: string, choice: ClientChoice, env = process.env): PythonClient {
  const importPath = (env['PYTHONPATH'] ?? '').split(path.delimiter).filter(Boolean);
  return new PythonClient(interpreter, {
    ...(choice.libraries ? { libraries: choice.libraries.filter((l): l is PythonLibrary => !isNodeLibrary(l)) } : {}),
    ...(choice.pythonContext
      ? { context: choice.pythonContext, workspace: env['GITHUB_WORKSPACE'] || process.cwd() }
      : {}),
    importPath,
  });
}

/** client-command, checked and split; a refusal names the input. */
function command(text: string, shell: boolean): CommandTemplate {
  try {
    return parseTemplate(text, shell);
  } catch (error) {
    throw namingInputs(error);
  }
}

/** The program an input names, found; not found: an error naming the input. */
async function given(input: string, value: string, advice: string): Promise<string> {
  try {
    return await findExecutable(value, advice);
  } catch (error) {
    throw error instanceof ClientStartError ? new InputError(`${input}: ${error.message}`) : error;
  }
}

/** The client, its failures to start said as a problem with `input`. */
export function namedBy(input: string, client: ProbeClient): ProbeClient {
  return mapStartErrors(client, (error) => new InputError(`${input}: ${error.message}`));
}

/** The client of the runtime the action obtained: its failures to start are the action's, not an input's. */
function obtainedRuntime(client: ProbeClient): ProbeClient {
  return mapStartErrors(
    client,
    (error) => new Error(`the runtime this action obtained cannot be probed: ${error.reason}.`),
  );
}

function mapStartErrors(client: ProbeClient, map: (error: ClientStartError) => Error): ProbeClient {
  const mapped = (error: unknown) => (error instanceof ClientStartError ? map(error) : error);
  const prepare = client.prepare?.bind(client);
  return {
    ...(prepare
      ? { prepare: (signal: AbortSignal) => prepare(signal).catch((error: unknown) => Promise.reject(mapped(error))) }
      : {}),
    start(limits) {
      let started: ReturnType<ProbeClient['start']>;
      try {
        started = client.start(limits);
      } catch (error) {
        throw mapped(error);
      }
      return { run: (job) => started.run(job).catch((error: unknown) => Promise.reject(mapped(error))) };
    },
  };
}
