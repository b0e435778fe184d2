import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_VERSION, runContext, runLine, workflowPath } from '../../src/report/run.js';
import { ROOT } from '../fixtures/action.js';

describe('run metadata', () => {
  it("names the action's version as package.json does", () => {
    expect(ACTION_VERSION).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('is all null outside Actions, and the line is the action alone', () => {
    const run = runContext({});
    expect(run).toMatchObject({ repository: null, sha: null, runUrl: null, job: null });
    expect(runLine(run)).toBe('tls-floor (0.1.0)');
    expect(workflowPath(run)).toBeNull();
  });

  it('reads the workflow file out of the workflow ref', () => {
    const run = runContext({ GITHUB_WORKFLOW_REF: 'acme/pay/.github/workflows/tls.yml@refs/pull/7/merge' });
    expect(workflowPath(run)).toBe('.github/workflows/tls.yml');
  });
});
