import { createWriteStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { enterStage } from '../shared/cancellation.js';
import { clip, Unusable } from '../shared/errors.js';
import { howItEnded, startProcess } from '../shared/process.js';
import type { SourceSpec } from './model/plan.js';

/** Runs `work` inside a log group whose closing line gives the elapsed time. */
export async function timedGroup<T>(title: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  core.startGroup(title);
  enterStage(title);
  try {
    return await work();
  } finally {
    core.info(`${title}: ${seconds(started)}`);
    core.endGroup();
  }
}

export function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Every line of output goes here; the log shows a heartbeat instead. */
  logFile: string;
  heartbeatMs?: number;
}

/** A build command's output (to its log file) past this is a flood: it is stopped. */
const BUILD_LOG_LIMIT = 1024 * 1024 * 1024;

/**
 * Runs one build command (no shell) in a process group of its own, so that a cancellation
 * stops the compilers under make too. Its output goes to a log file, since a compiler's
 * thousands of lines bury the story; the log gets a heartbeat with the latest line, and on
 * failure the last lines and the path of the full log.
 */
export async function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<void> {
  const started = performance.now();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}\n`);
  core.info(`$ ${command} ${args.join(' ')}`);
  let lastLine = '';
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    const lines = chunk.toString('utf8').trimEnd().split('\n');
    lastLine = lines[lines.length - 1] ?? lastLine;
  };
  const heartbeat = setInterval(
    () => core.info(`  ... ${seconds(started)} elapsed; latest: ${clip(lastLine, 160)}`),
    options.heartbeatMs ?? 30_000,
  );
  try {
    const process = startProcess(command, args, {
      cwd: options.cwd,
      ...(options.env ? { env: options.env } : {}),
      onOutput,
      outputLimit: BUILD_LOG_LIMIT,
    });
    process.send('');
    const result = await process.done;
    await new Promise<void>((resolve) => log.end(resolve));
    if (result.code !== 0) {
      // The compiler's words are foreign text: each line on its own, clipped, no workflow command.
      const tail = (await logTail(options.logFile))
        .trimEnd()
        .split('\n')
        .slice(-40)
        .map((line) => clip(line, 300))
        .join('\n');
      core.info(`--- last lines of ${options.logFile} ---\n${tail}`);
      const how =
        result.code === null
          ? `was ${howItEnded(result).replace(/^killed/, 'stopped')}`
          : `failed with ${howItEnded(result)}`;
      throw new Error(
        `'${command} ${args.slice(0, 3).join(' ')}' ${how} after ${seconds(started)}; full log: ${options.logFile}`,
      );
    }
  } finally {
    clearInterval(heartbeat);
    if (!log.closed) log.end();
  }
}

/** The last 64 KiB of a build's log (it may hold up to BUILD_LOG_LIMIT). */
async function logTail(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Times the parts of one step, for one line in the log: "download 0.1 s, checksum 0.1 s". */
export function stopwatch() {
  const parts: string[] = [];
  return {
    async time<T>(label: string, work: () => Promise<T>): Promise<T> {
      const started = performance.now();
      try {
        return await work();
      } finally {
        parts.push(`${label} ${seconds(started)}`);
      }
    },
    line: () => parts.join(', '),
  };
}

/** Where a build step runs: the unpacked source, its log file, its environment. */
export interface BuildContext {
  srcDir: string;
  logFile: string;
  env: NodeJS.ProcessEnv;
}

/** Runs a build step in the source folder, its output to the log. */
export function inSource(ctx: BuildContext): (command: string, args: readonly string[]) => Promise<void> {
  return (command, args) => runCommand(command, args, { cwd: ctx.srcDir, logFile: ctx.logFile, env: ctx.env });
}

/** The unpacked source must be a source tree of `project`: `marker` (./configure, ./config) in its top folder. */
export function checkSourceTree(ctx: BuildContext, source: SourceSpec, project: string, marker: string): void {
  if (existsSync(path.join(ctx.srcDir, marker))) return;
  const a = /^[AEIOU]/.test(project) ? 'an' : 'a';
  throw new Unusable(
    `${source.name}-source`,
    `${source.url} is not ${a} ${project} source tree (no ./${marker} in its top folder); give the URL of ${a} ${project} release tarball.`,
  );
}
