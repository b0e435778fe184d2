import type { JobEvidence } from './evidence.js';
import { VERDICT_RULE } from './sarif.js';

/**
 * JUnit XML for test reporters: a suite per job, a test per rule of its policies and one for the
 * floor verdict. A failed MUST or a verdict other than pass is a <failure>; an untestable rule is
 * <skipped>; a warned SHOULD passes with the warning in <system-out>.
 */

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 allows no other control characters, not even as references.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string };
  skipped?: string;
  out?: string;
}

function cases(job: JobEvidence): Case[] {
  const { report } = job;
  const verdict: Case = {
    classname: 'tls-floor',
    name: VERDICT_RULE,
    ...(report.verdict === 'pass'
      ? { out: report.summary }
      : { failure: { type: report.verdict, message: report.summary } }),
  };
  const rules = (report.policy?.results ?? []).map(
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

export function renderJunit(jobs: readonly JobEvidence[]): string {
  const all = jobs.map((job) => ({ job, cases: cases(job) }));
  const count = (list: Case[], what: 'failure' | 'skipped') => list.filter((c) => c[what] !== undefined).length;
  const tests = all.reduce((n, s) => n + s.cases.length, 0);
  const failures = all.reduce((n, s) => n + count(s.cases, 'failure'), 0);
  const skipped = all.reduce((n, s) => n + count(s.cases, 'skipped'), 0);
  const suites = all.map(({ job, cases: list }) => {
    const seconds = (job.report.durationMs / 1000).toFixed(3);
    return [
      `  <testsuite name="${xml(job.label)}" tests="${list.length}" failures="${count(list, 'failure')}" errors="0"` +
        ` skipped="${count(list, 'skipped')}" time="${seconds}" timestamp="${xml(job.report.createdAt)}">`,
      '    <properties>',
      `      <property name="verdict" value="${xml(job.report.verdict)}"/>`,
      `      <property name="floor" value="${xml(job.report.floor)}"/>`,
      `      <property name="runtime" value="${xml(`${job.report.runtime.version} (${job.report.runtime.tlsLibrary})`)}"/>`,
      `      <property name="report" value="${xml(job.source)}"/>`,
      '    </properties>',
      ...list.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tls-floor" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
