import { foreign } from '../shared/foreign.js';
import type { JobEvidence } from './evidence.js';
import { VERDICT_RULE } from './sarif.js';

/**
 * JUnit XML for test reporters: a suite per job, a test per rule of its policies and one for the
 * floor verdict. A failed MUST or a verdict other than pass is a <failure>; an untestable rule is
 * <skipped>; a warned SHOULD passes with the warning in <system-out>.
 */

/** Foreign text as XML 1.0 allows it (no C0 but tab/LF/CR, no U+FFFE/U+FFFF, no lone surrogate), escaped, clipped. */
const xml = (value: unknown, max = 1000) => foreign(value, { for: 'xml', max });

/** The XML stays under this; later suites keep their verdict and say what was left out. */
export const MAX_JUNIT_BYTES = 32 * 1024 * 1024;

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string };
  skipped?: string;
  out?: string;
}

function cases(job: JobEvidence, withRules: boolean): Case[] {
  const { report } = job;
  const said = job.contradiction ? `the report contradicts its evidence: ${job.contradiction}` : report.summary;
  const verdict: Case = {
    classname: 'tls-floor',
    name: VERDICT_RULE,
    ...(job.verdict === 'pass' && !job.contradiction
      ? { out: said }
      : { failure: { type: job.contradiction ? 'contradicted' : job.verdict, message: said } }),
  };
  if (!withRules)
    return [
      {
        ...verdict,
        out: `${report.policy.results.length} rule results left out: this JUnit file stays under ${MAX_JUNIT_BYTES} bytes (the aggregate report has them)`,
      },
    ];
  const rules = report.policy.results.map(
    (r): Case => ({
      classname: `tls-floor.${r.policy}`,
      name: r.rule,
      ...(r.status === 'fail' ? { failure: { type: `${r.level} failed`, message: r.sentence } } : {}),
      ...(r.status === 'untestable' || r.status === 'not-applicable' ? { skipped: r.sentence } : {}),
      ...(r.status === 'warn' ? { out: `warning: ${r.sentence}` } : {}),
      ...(r.status === 'pass' ? { out: r.sentence } : {}),
    }),
  );
  return [verdict, ...rules];
}

function testcase(c: Case): string {
  const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="0">`;
  const body = [
    c.failure
      ? `      <failure type="${xml(c.failure.type)}" message="${xml(c.failure.message)}">${xml(c.failure.message)}</failure>`
      : '',
    c.skipped !== undefined ? `      <skipped message="${xml(c.skipped)}"/>` : '',
    c.out ? `      <system-out>${xml(c.out)}</system-out>` : '',
  ].filter(Boolean);
  return [open, ...body, '    </testcase>'].join('\n');
}

/** A suite per job, in the jobs' order; past MAX_JUNIT_BYTES a suite keeps only its verdict. */
export function renderJunit(jobs: readonly JobEvidence[]): string {
  const count = (list: Case[], what: 'failure' | 'skipped') => list.filter((c) => c[what] !== undefined).length;
  let bytes = 0;
  const all = jobs.map((job) => {
    const whole = cases(job, true);
    const list = bytes < MAX_JUNIT_BYTES ? whole : cases(job, false);
    const text = suite(job, list, count);
    bytes += text.length;
    return { list, text };
  });
  const tests = all.reduce((n, s) => n + s.list.length, 0);
  const failures = all.reduce((n, s) => n + count(s.list, 'failure'), 0);
  const skipped = all.reduce((n, s) => n + count(s.list, 'skipped'), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tls-floor" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...all.map((s) => s.text),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(job: JobEvidence, list: Case[], count: (list: Case[], what: 'failure' | 'skipped') => number): string {
  const { report } = job;
  const seconds = (report.durationMs / 1000).toFixed(3);
  return [
    `  <testsuite name="${xml(job.label, 200)}" tests="${list.length}" failures="${count(list, 'failure')}" errors="0"` +
      ` skipped="${count(list, 'skipped')}" time="${seconds}" timestamp="${xml(report.createdAt, 40)}">`,
    '    <properties>',
    `      <property name="verdict" value="${job.verdict}"/>`,
    `      <property name="floor" value="${report.floor}"/>`,
    `      <property name="probe-mode" value="${report.probeMode}"/>`,
    `      <property name="runtime" value="${xml(`${report.runtime.version} (${report.runtime.tlsLibrary})`, 200)}"/>`,
    `      <property name="report" value="${xml(job.source, 200)}"/>`,
    '    </properties>',
    ...list.map(testcase),
    '  </testsuite>',
  ].join('\n');
}
