import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import { POLICIES } from '../policies/policies.js';
import type { Rule } from '../policies/rules.js';
import type { JobEvidence } from './evidence.js';
import { describeCheck } from './policy_markdown.js';
import { ACTION_VERSION, workflowPath } from './run.js';

/**
 * SARIF 2.1.0 for github/codeql-action/upload-sarif: one run per job, each with a category of
 * its own (runs[].automationDetails.id), the rules of every policy plus the floor verdict, a
 * result per failed, warned or untestable rule, located at the workflow file that ran the job.
 */

export const VERDICT_RULE = 'tls-floor.verdict';

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

function policyRule(policyId: string, rule: Rule): ReportingDescriptor {
  const text = `${rule.citation}, ${rule.level}: ${rule.requirement}. Checked: the client ${describeCheck(rule.check)}.${rule.note ? ` ${rule.note}` : ''}`;
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
export function sarifRules(): ReportingDescriptor[] {
  return [
    verdictRule(),
    ...Object.values(POLICIES).flatMap((policy) => policy.rules.map((rule) => policyRule(policy.id, rule))),
  ];
}

function location(job: JobEvidence, fallbackWorkflow: string) {
  const uri = workflowPath(job.report.run) ?? fallbackWorkflow;
  return [
    {
      physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
      message: { text: job.label },
    },
  ];
}

function jobRun(job: JobEvidence, rules: ReportingDescriptor[], fallbackWorkflow: string): Run {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const { report } = job;
  const where = location(job, fallbackWorkflow);
  const results: Result[] = [];
  if (report.verdict !== 'pass') {
    results.push({
      ruleId: VERDICT_RULE,
      ruleIndex: index.get(VERDICT_RULE)!,
      level: 'error',
      message: { text: `${job.label}: ${report.verdict}: ${report.summary}` },
      locations: where,
    });
  }
  for (const r of report.policy?.results ?? []) {
    if (r.status === 'pass' || r.status === 'not-applicable' || r.policy === 'floor') continue;
    results.push({
      ruleId: r.rule,
      ...(index.has(r.rule) ? { ruleIndex: index.get(r.rule)! } : {}),
      level: r.status === 'fail' ? 'error' : r.status === 'warn' ? 'warning' : 'note',
      message: { text: `${job.label}: ${r.sentence}` },
      locations: where,
    });
  }
  return {
    tool: { driver: { name: 'tls-floor', version: ACTION_VERSION, semanticVersion: ACTION_VERSION, rules } },
    automationDetails: { id: `${job.category}/${report.run.runId ?? ''}` },
    results,
    properties: {
      verdict: report.verdict,
      floor: report.floor,
      runtime: `${report.runtime.version} (${report.runtime.tlsLibrary})`,
      policies: report.policy?.policies ?? [],
    },
  };
}

/** The SARIF log of a matrix. `fallbackWorkflow`: the location when a report names no workflow. */
export function renderSarif(jobs: readonly JobEvidence[], fallbackWorkflow: string): Log {
  const rules = sarifRules();
  return {
    version: '2.1.0',
    runs: jobs.map((job) => jobRun(job, rules, fallbackWorkflow)),
  };
}
