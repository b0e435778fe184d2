import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_NODE, ROOT } from '../fixtures/action.js';

// scripts/run-local.mjs (npm run local) as a user runs it: it runs dist/index.js as the runner
// does, so it must pass only inputs a workflow could have given.
function local(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'scripts', 'run-local.mjs'), ...args],
      {
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_'))),
        encoding: 'utf8',
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('npm run local', () => {
  it('--client node --policy pq-hybrid runs the node client, with no python-path nobody gave', async () => {
    const run = await local(['--client', 'node', '--client-path', ACTION_NODE, '--policy', 'pq-hybrid']);
    expect(run.out).toContain(`::group::Probe node ${ACTION_NODE} against a TLS 1.2 floor`);
    expect(run.out).not.toContain('python-path');
    expect(run.out).toMatch(/^verdict: (pass|downgrade)$/m);
    expect(run.out).toMatch(/^--- exit code: [01]$/m);
  });

  it('--help lists every input action.yml declares, with its default', async () => {
    const run = await local(['--help']);
    expect(run.code).toBe(0);
    const inputs = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).inputs;
    for (const name of Object.keys(inputs)) expect(run.out).toMatch(new RegExp(`^ {2}--${name}\\b`, 'm'));
    expect(run.out).toContain('  --min-tls-version (default: "1.2")');
  });

  it('warns about an input action.yml does not declare, as the runner does', async () => {
    const run = await local(['--client', 'node', '--client-path', ACTION_NODE, '--min-tls', '1.3']);
    expect(run.out).toMatch(
      /^##\[warning\]Unexpected input\(s\) 'min-tls', valid inputs are \['python-path', 'client', /m,
    );
  });
});
