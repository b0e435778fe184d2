import * as core from '@actions/core';
import { describeError, InputError } from './errors.js';
import { decidingClients, readInputs, type Inputs } from './inputs.js';
import type { ProbeClient } from './probe/clients/client.js';
import { selectClient, type SelectedClient } from './probe/clients/index.js';
import { PythonClient } from './probe/clients/python.js';
import { runProbe } from './probe/probe.js';
import { buildReport, type Report } from './report/report.js';
import { renderMarkdown, renderTextTable } from './report/table.js';
import { writeReport } from './report/write.js';
import { resolveGivenInterpreter } from './runtime/given.js';
import { decideVerdict } from './verdict.js';

export const HANDSHAKE_TIMEOUT_MS = 5_000;
export const PROBE_TIMEOUT_MS = 60_000;

/** The action: inputs, then the runtime, then the probe, then the report. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    // node, curl, openssl or a command are probed as they are (nothing is built).
    const target = (await selectClient(inputs)) ?? (await pythonTarget(inputs));
    const report = await probeRuntime(target.client, target.label, inputs);
    await publish(report, inputs);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `tls-floor: ${describeError(error)}`);
  }
}

async function pythonTarget(inputs: Inputs): Promise<SelectedClient> {
  const interpreter = await resolveGivenInterpreter(inputs.pythonPath ?? 'python3');
  return { client: new PythonClient(interpreter), label: interpreter };
}

async function probeRuntime(client: ProbeClient, label: string, inputs: Inputs): Promise<Report> {
  return core.group(`Probe ${label} against a TLS ${inputs.floor} floor`, async () => {
    const observation = await runProbe(client, {
      floor: inputs.floor,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      ...(process.env['RUNNER_TEMP'] ? { tempDir: process.env['RUNNER_TEMP'] } : {}),
    });
    const deciders = decidingClients(inputs.probeMode, observation.clients);
    const result = decideVerdict({ floor: inputs.floor, servers: observation.servers, deciders, handshakes: observation.handshakes });
    core.info(`probe finished in ${observation.durationMs} ms`);
    return buildReport(observation, result, inputs.probeMode, deciders);
  });
}

/** The only place that sets outputs, writes the summary and fails the job. */
async function publish(report: Report, inputs: Inputs): Promise<void> {
  const reportPath = await writeReport(report);
  core.info(renderTextTable(report));
  core.info(`JSON report: ${reportPath}`);
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderMarkdown(report, reportPath)).write();
  }
  core.setOutput('verdict', report.verdict);
  core.setOutput('negotiated-version', report.negotiatedVersion ?? '');
  core.setOutput('report-path', reportPath);

  if (report.verdict === 'pass') return;
  if (report.verdict === 'downgrade' && !inputs.failOnDowngrade) {
    core.warning(`Downgrade (fail-on-downgrade is false): ${report.summary}`);
    return;
  }
  core.setFailed(`tls-floor: ${report.verdict}: ${report.summary}`);
}
