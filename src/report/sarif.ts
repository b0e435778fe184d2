import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import { foreign } from '../shared/foreign.js';
import type { JobEvidence } from './evidence.js';
import { ACTION_VERSION, workflowPath } from './run.js';

/**
 * SARIF 2.1.0 for github/codeql-action/upload-sarif: one run for the matrix (renderSarif below:
 * why one), the rules of every policy plus the floor verdict, a result per job and failed,
 * warned or untestable rule, located at the workflow file that ran the job. Report strings are
 * foreign text: they pass through foreign() (one line, clipped) into every message.
 */

export const VERDICT_RULE = 'tls-floor.verdict';
/** GitHub keeps 25,000 results of a run and shows the top 5,000 by severity: no more are written. */
export const MAX_SARIF_RESULTS = 5000;
/** The results' JSON stays under this (uploads are at most 10 MB, gzipped). */
export const MAX_SARIF_BYTES = 8 * 1024 * 1024;

// GitHub's scale: 7.0-8.9 high, 4.0-6.9 medium.
const SEVERITY = { verdict: '8.0', MUST: '7.0', SHOULD: '4.0' } as const;

function verdictRule(): ReportingDescriptor {
  const text =
    'The runtime must complete a handshake with a modern server and refuse every server that offers only a TLS ' +
    'version below the floor, each proven reachable by a control and corroborated by the server; a downgrade, a ' +
    'broken runtime or an inconclusive probe fails.';
  return {
    id: VERDICT_RULE,
    name: 'TlsFloorVerdict',
    shortDescription: { text: 'The runtime holds the TLS floor' },
    fullDescription: { text },
    help: { text, markdown: text },
    defaultConfiguration: { level: 'error' },
    properties: { 'security-severity': SEVERITY.verdict, tags: ['security', 'tls'], precision: 'very-high' },
  };
}

/** A policy rule as the action knows it, in words (policies/markdown.ts ruleTexts: the action hands them in). */
export interface SarifRuleText {
  policy: string;
  id: string;
  level: 'MUST' | 'SHOULD';
  requirement: string;
  text: string;
}

function policyRule(rule: SarifRuleText): ReportingDescriptor {
  const { text, policy: policyId } = rule;
  return {
    id: rule.id,
    shortDescription: { text: `${rule.level}: ${rule.requirement}`.slice(0, 1000) },
    fullDescription: { text },
    help: { text, markdown: text },
    defaultConfiguration: { level: rule.level === 'MUST' ? 'error' : 'warning' },
    properties: {
      'security-severity': SEVERITY[rule.level],
      tags: ['security', 'tls', policyId],
      precision: 'high',
    },
  };
}

/** Every rule the action knows: the floor verdict, then each policy's rules. */
export function sarifRules(rules: readonly SarifRuleText[]): ReportingDescriptor[] {
  return [verdictRule(), ...rules.map(policyRule)];
}

/** The workflow file a job ran in, where its report names a plausible one; else the merge's own. */
function workflowOf(job: JobEvidence, fallbackWorkflow: string): string {
  const uri = workflowPath(job.report.run);
  return uri && WORKFLOW_FILE.test(uri) && !uri.includes('..') && uri.length <= 200 ? uri : fallbackWorkflow;
}
const WORKFLOW_FILE = /^\.github\/workflows\/[A-Za-z0-9._/-]+\.ya?ml$/;

const text = (value: unknown, max = 1000) => foreign(value, { max });
const fingerprint = (...parts: string[]) => createHash('sha256').update(parts.join('\0'), 'utf8').digest('hex');

/** One job's results: its verdict (where not pass, or where the report contradicts its evidence), then each rule not passed. */
function jobResults(job: JobEvidence, index: Map<string, number>, fallbackWorkflow: string): Result[] {
  const { report } = job;
  const label = text(job.label, 200);
  const base = (ruleId: string) => ({
    ruleId,
    ruleIndex: index.get(ruleId)!,
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: workflowOf(job, fallbackWorkflow), uriBaseId: '%SRCROOT%' },
          region: { startLine: 1 },
        },
        message: { text: label },
      },
    ],
    // Each job's alerts are its own, though every job points at the same workflow line.
    partialFingerprints: { 'tlsFloorJob/v1': fingerprint(job.category, ruleId) },
    properties: { job: label, jobCategory: job.category, report: text(job.source, 200), probeMode: report.probeMode },
  });
  const results: Result[] = [];
  if (job.contradiction) {
    results.push({
      ...base(VERDICT_RULE),
      level: 'error',
      message: { text: `${label}: the report contradicts its evidence: ${text(job.contradiction)}` },
    });
  } else if (job.verdict !== 'pass') {
    results.push({
      ...base(VERDICT_RULE),
      level: 'error',
      message: { text: `${label}: ${job.verdict}: ${text(report.summary)}` },
    });
  }
  for (const r of report.policy.results) {
    // A rule this version does not know (a newer writer's) has no descriptor: the summary and JUnit name it.
    if (r.status === 'pass' || r.status === 'not-applicable' || r.policy === 'floor' || !index.has(r.rule)) continue;
    results.push({
      ...base(r.rule),
      level: r.status === 'fail' ? 'error' : r.status === 'warn' ? 'warning' : 'note',
      message: { text: `${label}: ${text(r.sentence)}` },
    });
  }
  return results;
}

const LEVEL_RANK: Record<string, number> = { error: 0, warning: 1, note: 2 };

/**
 * The SARIF log of a matrix: one run (one upload, one category for the whole matrix), a
 * result per job and rule, each with the job's own category in its properties and a
 * fingerprint of its own. Within code scanning's limits for any matrix size: 1 run per file
 * (at most 20), at most MAX_SARIF_RESULTS results (25,000 per run; 5,000 shown), errors first,
 * at most MAX_SARIF_BYTES of them, each message clipped; what is left out is counted in the
 * run's properties (`omittedResults`).
 */
export function renderSarif(
  jobs: readonly JobEvidence[],
  fallbackWorkflow: string,
  category: string,
  catalogue: readonly SarifRuleText[],
): { log: Log; omitted: number } {
  const rules = sarifRules(catalogue);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const all = jobs
    .flatMap((job) => jobResults(job, index, fallbackWorkflow))
    .map((result, order) => ({ result, order }))
    .sort((a, b) => LEVEL_RANK[a.result.level!]! - LEVEL_RANK[b.result.level!]! || a.order - b.order);
  const results: Result[] = [];
  let bytes = 0;
  for (const { result } of all) {
    const size = JSON.stringify(result).length;
    if (results.length >= MAX_SARIF_RESULTS || bytes + size > MAX_SARIF_BYTES) break;
    bytes += size;
    results.push(result);
  }
  const omitted = all.length - results.length;
  const run: Run = {
    tool: { driver: { name: 'tls-floor', version: ACTION_VERSION, semanticVersion: ACTION_VERSION, rules } },
    automationDetails: { id: category },
    results,
    properties: {
      jobs: jobs.length,
      failedJobs: jobs.filter((j) => j.fails).length,
      ...(omitted
        ? {
            omittedResults: `${omitted} of ${all.length} results left out (code scanning's limits; the aggregate report has every job)`,
          }
        : {}),
    },
  };
  return { log: { version: '2.1.0', runs: [run] }, omitted };
}
