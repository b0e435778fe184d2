import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { requireTool } from '../fixtures/requirements.js';

// dist/index.js with the java and go client kinds (their programs shipped as assets of the bundle,
// built under the run's RUNNER_TEMP). The verdicts against every family: test/probe/runtimes.test.ts.
requireTool('java');
requireTool('go');

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('dist/index.js with the runtime client kinds', () => {
  it('client: java, probe-mode default: pass; the summary names the JDK and its jdk.tls.disabledAlgorithms', async () => {
    const run = await runAction({ client: 'java', 'probe-mode': 'default' });
    expect(run.outputs['verdict']).toBe('pass');
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/Java 17\.\S+ · JSSE \(SunJSSE 17\)/);
    // Foreign text, as the summary shows it (foreign(): ':' and '_' as entities).
    expect(run.summary).toMatch(/Floor set by: jdk\.tls\.disabledAlgorithms&#58; SSLv3, TLSv1, TLSv1\.1, /);
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.runtime.details['jdk.tls.client.protocols']).toBe('not set');
    // The compiled probe stays in the run's RUNNER_TEMP, nowhere else.
    expect(readdirSync(`${run.runnerTemp}/tls-floor-clients`).some((d) => d.startsWith('java-probe-'))).toBe(true);
  });

  it('client: go, probe-mode strict: a downgrade (tls.Config.MinVersion TLS 1.0), with the hint on the Go setting', async () => {
    const run = await runAction({ client: 'go', 'probe-mode': 'strict', 'fail-on-downgrade': 'false' });
    expect(run.outputs['verdict']).toBe('downgrade');
    expect(run.summary).toMatch(/Go 1\.\d+\S* · crypto\/tls/);
    expect(run.summary).toContain('tls.Config.MinVersion = tls.VersionTLS12');
    expect(run.summary).toMatch(/Floor set by: .*GODEBUG&#58; not set/);
  });
});
