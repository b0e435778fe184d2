import type { ClientOutcome } from '../judgement/client_outcomes.js';

/** One line per client: `botocore 1.29.27: pass (decides)`, `httpx: not run (why)`. */
export function clientOutcomeLines(outcomes: readonly ClientOutcome[]): string[] {
  return outcomes.map((o) => {
    const name = o.version ? `${o.client} ${o.version}` : o.client;
    if (!o.ran) return `${name}: not run (${o.skipped ?? 'no reason given'})`;
    return `${name}: ${o.outcome} (${o.decides ? 'decides' : 'reported, does not decide in this probe-mode'})`;
  });
}
