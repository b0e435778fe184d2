import * as core from '@actions/core';
import type { ResolvedSource } from '../runtime/model/versions.js';

/**
 * Publishes the versions as soon as they are resolved, before anything is downloaded: the
 * python-version and openssl-version outputs (publish() sets them again after a build, to
 * what the runtime reports; the later value wins), a log line for each, and a loud warning
 * in the log and the job summary for an end-of-life line.
 */
export async function publishResolved(resolved: readonly ResolvedSource[]): Promise<void> {
  for (const source of resolved) {
    core.setOutput(`${source.project}-version`, source.version);
    core.info(`${source.project}-version: ${source.description}`);
  }
  const warnings = resolved.flatMap((s) => (s.endOfLife ? [s.endOfLife] : []));
  for (const warning of warnings) core.warning(warning);
  if (warnings.length && process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(warnings.map((w) => `> [!WARNING]\n> ${w}\n\n`).join('')).write();
  }
}
