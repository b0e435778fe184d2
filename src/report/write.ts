import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempRoot } from '../shared/cancellation.js';
import { type CbomJob, cbomOf } from './cbom.js';
import type { Report } from './report.js';
import { ACTION_VERSION } from './run.js';

/** Writes the JSON report under RUNNER_TEMP (the system temp folder outside Actions). */
export async function writeReport(report: Report, root = tempRoot()): Promise<string> {
  const dir = path.join(root, 'tls-floor');
  await mkdir(dir, { recursive: true });
  const stamp = report.createdAt.replace(/[:.]/g, '-');
  const file = path.join(dir, `report-${report.runtime.kind}-tls${report.floor}-${stamp}-${process.pid}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** Writes the run's CycloneDX CBOM beside its JSON report (report-X.json: report-X.cdx.json). */
export async function writeCbom(job: CbomJob, reportPath: string): Promise<string> {
  const file = reportPath.replace(/\.json$/, '.cdx.json');
  await writeFile(file, `${JSON.stringify(cbomOf([job], ACTION_VERSION), null, 2)}\n`);
  return file;
}
