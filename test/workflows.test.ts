import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionDefaults } from '../scripts/runner-inputs.mjs';
import { readInputs } from '../src/inputs/inputs.js';
import { ROOT } from './fixtures/action.js';

// The workflows cannot run here; this is what can be checked without GitHub: that the files
// parse as YAML (an unquoted ': ' in a step name once made ci.yml unparseable), that they have
// the shape Actions needs, and that they use only the inputs and outputs action.yml declares.

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: unknown;
  steps?: Step[];
}

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
