import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyId } from '../../src/policies/rules.js';
import { PythonClient } from '../../src/probe/clients/python.js';
import type { Report } from '../../src/report/report.js';
import { renderTextTable } from '../../src/report/table.js';
import { childProcesses } from '../fixtures/processes.js';
import { DEBIAN_PYTHON, PYTHON_LIBS, pythonLibsAvailable } from '../fixtures/python_libs.js';
import { probeReport } from '../fixtures/report.js';

// The log table as GitHub's log view and a terminal show it: every line at most 120 columns,
// for the widest real runs here: /usr/bin/python3 with the HTTP libraries (botocore's
// certificate errors are the longest cells), at the default settings and with policy rfc9325.
// Columns are measured apart from the code under test: code points, with no wide character.
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;
const columns = (line: string) => [...line].length;

const libraries = pythonLibsAvailable();
const reports: Record<string, Report> = {};
beforeAll(async () => {
  const client = new PythonClient(DEBIAN_PYTHON, libraries ? { importPath: [PYTHON_LIBS] } : {});
  const runs: Array<[string, PolicyId[]]> = [
    ['plain', ['floor']],
    ['rfc9325', ['rfc9325']],
  ];
  for (const [name, policies] of runs) reports[name] = await probeReport(client, { probeMode: 'both', policies });
}, 120_000);
afterAll(() => {
  expect(childProcesses()).toEqual([]);
});

describe('the log table fits in 120 columns', () => {
  it.each(['plain', 'rfc9325'])('%s run: every line, with the full reasons as notes under the table', (name) => {
    const report = reports[name]!;
    const text = renderTextTable(report);
    const lines = text.split('\n');
    const over = lines.filter((l) => WIDE.test(l) || columns(l) > 120);
    expect(over).toEqual([]);
    // Nothing lost: each cell's long reason is a note, each handshake is there.
    const notes = lines.filter((l) => /^\[\d+\] /.test(l));
    for (const [n, note] of notes.entries()) expect(note.startsWith(`[${n + 1}] `)).toBe(true);
    for (const h of report.handshakes) expect(text).toContain(h.server);
    expect(text.replace(/\n {2}/g, ' ')).toContain(report.summary);
    if (libraries) expect(text).toMatch(/^server .*botocore/m);
  });
});
