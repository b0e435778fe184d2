import * as core from '@actions/core';
import type { BuildInputs, SourceInputs } from '../inputs.js';
import { findRelease, lifecycleOf, lifecycleWarning, type Lifecycle, type Project } from '../runtime/versions.js';

/**
 * Publishes the versions as soon as they are resolved, before anything is downloaded: the
 * python-version and openssl-version outputs (publish() sets them again after a build, to
 * what the runtime reports; the later value wins), a log line for each, and a loud warning
 * in the log and the job summary for an end-of-life line. Returns the lifecycle of both, for
 * the report.
 */
export async function publishResolved(build: BuildInputs, today = new Date()): Promise<Lifecycle[]> {
  const notes: Lifecycle[] = [];
  for (const [project, source] of [['python', build.python], ['openssl', build.openssl]] as [Project, SourceInputs][]) {
    core.setOutput(`${project}-version`, source.version);
    core.info(`${project}-version: ${describe(project, source)}`);
    const lifecycle = lifecycleOf(project, source.version, today);
    if (lifecycle) notes.push(lifecycle);
  }
  const ended = notes.filter((l) => l.ended);
  for (const l of ended) core.warning(lifecycleWarning(l));
  if (ended.length && process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(ended.map((l) => `> [!WARNING]\n> ${lifecycleWarning(l)}\n\n`).join('')).write();
  }
  return notes;
}

function describe(project: Project, source: SourceInputs): string {
  const asked = source.file ? `'${source.spec}' from ${source.file}` : source.spec ? `'${source.spec}'` : 'the default';
  const release = findRelease(project, source.version);
  const checksum = source.sha256
    ? `checksum from ${project}-sha256`
    : release
      ? `checksum from the table (${release.files.flatMap((f) => f.sources).filter((s, i, all) => all.indexOf(s) === i).join(', ')})`
      : 'no checksum (allow-unverified-source)';
  return `${asked} resolved to ${source.version} (${checksum})`;
}
