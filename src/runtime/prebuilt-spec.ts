import * as core from '@actions/core';
import type { Floor } from '../shared/floor.js';
import { incompatibility } from './model/compat.js';
import type { Platform } from './model/platform.js';
import type { BuildInputs, SourceInputs } from './model/request.js';
import { isExactVersion, type Project, stableMatches, threaded } from './model/versions.js';
import { planOf, plansOf } from './obtain.js';
import { IndexUnavailable, matchEntry, type RuntimeIndex, type RuntimeIndexInput, readIndexOrWhy } from './prebuilt.js';

/**
 * Version specs resolve to what is prebuilt, as actions/setup-python resolves them against
 * the manifest of what it hosts: a line or a range (3.13, >=3.12 <3.14, 3, or nothing) takes
 * the newest release that the runtime index holds for this runner, floor and OpenSSL spec,
 * instead of the newest in the release table (which would be built). An exact version, a
 * checksum input, check-latest, or nothing prebuilt that matches: the inputs stay as resolved
 * against the table (inputs.ts), and the runtime is built unless the index holds exactly that.
 */
export async function preferPrebuilt(
  build: BuildInputs,
  floor: Floor,
  index: RuntimeIndexInput,
): Promise<{ build: BuildInputs; index: RuntimeIndexInput }> {
  if (build.checkLatest || build.archive || !(flexible('python', build.python) || flexible('openssl', build.openssl))) {
    return { build, index };
  }
  const read = index.read ?? (await readIndexOrWhy(index.location));
  const withRead = { ...index, read };
  if (read instanceof IndexUnavailable) return { build, index: withRead };
  const chosen = await newestPrebuilt(build, floor, read);
  if (!chosen) return { build, index: withRead };
  core.info(choiceLine(build, chosen, floor, (await planOf(chosen, floor)).platform));
  return { build: chosen, index: withRead };
}

/** A spec the index may choose within: not an exact version, nor pinned by a checksum. */
function flexible(project: Project, source: SourceInputs): boolean {
  return !source.sha256 && !isExactVersion(project, source.spec);
}

/** The candidates of one component: every release its spec matches (one, when it is fixed). */
function candidates(project: Project, source: SourceInputs): string[] {
  if (!flexible(project, source)) return [source.version];
  return stableMatches(project, source.spec);
}

/** The newest CPython (then OpenSSL) the specs allow whose exact build the index holds. */
async function newestPrebuilt(build: BuildInputs, floor: Floor, index: RuntimeIndex): Promise<BuildInputs | undefined> {
  const pythons = candidates('python', build.python);
  const openssls = candidates('openssl', build.openssl);
  // Only pairs some entry names are planned (a plan reads the platform and the system's OPENSSLDIR).
  const listed = new Set(
    index.runtimes.filter((e) => e?.floor === floor).map((e) => `${threaded(e.python, e.freethreaded)} ${e.openssl}`),
  );
  for (const python of pythons) {
    for (const openssl of openssls) {
      const pair = `${threaded(python, build.python.freethreaded)} ${openssl}`;
      if (!listed.has(pair) || incompatibility(python, openssl)) continue;
      const request: BuildInputs = {
        ...build,
        python: { ...build.python, version: python },
        openssl: { ...build.openssl, version: openssl },
      };
      if ((await plansOf(request, floor)).some((plan) => 'entry' in matchEntry(index, plan))) return request;
    }
  }
  return undefined;
}

/**
 * The one log line: "3.13 → 3.13.15: prebuilt for linux ubuntu-24.04 x64, TLS 1.2 (3.13.18 is
 * newer: check-latest: true builds it)".
 */
function choiceLine(table: BuildInputs, chosen: BuildInputs, floor: Floor, p: Platform): string {
  const asked = (s: SourceInputs) => {
    const spec = threaded(s.spec, s.freethreaded);
    return s.file ? `${spec} (${s.file})` : spec || 'the default';
  };
  const ssl = chosen.openssl.version;
  const what = [
    flexible('python', chosen.python)
      ? `${asked(chosen.python)} → ${chosen.python.version}`
      : `CPython ${chosen.python.version}`,
    ...(flexible('openssl', chosen.openssl) ? [`OpenSSL ${asked(chosen.openssl)} → ${ssl}`] : []),
  ].join(', ');
  const newer = [
    table.python.version !== chosen.python.version ? table.python.version : '',
    table.openssl.version !== ssl ? `OpenSSL ${table.openssl.version}` : '',
  ].filter(Boolean);
  const note = newer.length
    ? ` (${newer.join(' and ')} ${newer.length === 1 ? 'is' : 'are'} newer: check-latest: true builds ${newer.length === 1 ? 'it' : 'them'})`
    : '';
  return `${what}: prebuilt for ${p.os} ${p.osRelease} ${p.arch}, TLS ${floor}${note}`;
}
