import * as core from '@actions/core';
import { clip, InputError } from '../shared/errors.js';

/**
 * The inputs a user of actions/setup-python brings along, read as setup-python reads them where
 * they mean the same here (update-environment, token, freethreaded), and the one that collides:
 * setup-python's `cache` caches a package manager's downloads (pip, pipenv, poetry), which this
 * action does not do; the built runtime's own cross-run cache is `runtime-cache`. `cache:
 * true|false|auto` still works as that, deprecated, with a warning. docs/setup-python.md.
 */

type Read = (name: string) => string;

/** setup-python's dependency caches: refused with the input that does what the user meant. */
const PACKAGE_CACHES = ['pip', 'pipenv', 'poetry'];
const RUNTIME_CACHE = ['true', 'false', 'auto'];

/** runtime-cache (or the deprecated cache: true|false|auto): true/false as given; undefined: auto. */
export function runtimeCacheInput(read: Read): { cache?: boolean } {
  const runtime = read('runtime-cache').trim().toLowerCase() || 'auto';
  const legacy = read('cache').trim().toLowerCase();
  if (PACKAGE_CACHES.includes(legacy)) {
    throw new InputError(
      `cache: '${legacy}' is setup-python's ${legacy} download cache, which tls-floor does not do; give cache: ${legacy} to actions/setup-python (this action's runtime cache is runtime-cache).`,
    );
  }
  if (legacy && !RUNTIME_CACHE.includes(legacy)) {
    throw new InputError(
      `cache: '${clip(legacy, 40)}' is not allowed; for the built runtime's cache give runtime-cache: true, false or auto.`,
    );
  }
  if (!RUNTIME_CACHE.includes(runtime))
    throw new InputError(`runtime-cache: '${clip(runtime, 40)}' is not allowed; give true, false or auto.`);
  let value = runtime;
  if (legacy) {
    if (runtime !== 'auto' && runtime !== legacy)
      throw new InputError(`cache: '${legacy}' contradicts runtime-cache: '${runtime}'; give runtime-cache only.`);
    core.warning(`cache: '${legacy}' is deprecated for the runtime's cross-run cache; give runtime-cache: ${legacy}.`);
    value = legacy;
  }
  return value === 'auto' ? {} : { cache: value === 'true' };
}

/** freethreaded: true asks for free-threaded CPython, as python-version's `t` suffix does. */
export function freethreadedVersion(read: Read, version: string): string {
  const raw = read('freethreaded').trim().toLowerCase() || 'false';
  if (raw !== 'true' && raw !== 'false')
    throw new InputError(`freethreaded: '${clip(raw, 40)}' is not allowed; give true or false.`);
  if (raw === 'false' || version.endsWith('t')) return version;
  if (!version)
    throw new InputError('freethreaded: true needs a python-version (3.13 or later), e.g. python-version: 3.13.');
  return `${version}t`;
}

/** update-environment: false leaves PATH and the job's environment alone (setup-python's input). */
export function updateEnvironmentInput(read: Read): boolean {
  const raw = read('update-environment').trim().toLowerCase() || 'true';
  if (raw !== 'true' && raw !== 'false')
    throw new InputError(`update-environment: '${clip(raw, 40)}' is not allowed; give true or false.`);
  return raw === 'true';
}

/** token: the GitHub token for the provenance check (default: the workflow's token); undefined: none. */
export function tokenInput(read: Read): string | undefined {
  const token = read('token').trim();
  if (token) core.setSecret(token);
  return token || undefined;
}
