/**
 * The import direction of src/, as the design has it (CONTRIBUTING.md, "Architecture"):
 *
 *   inputs -> runtime (find, fetch, build, verify; cache/ and archive/ are runtime sources)
 *          -> probe (servers, controls, clients: observations only)
 *          -> verdict (pure: verdict.ts, corroboration.ts)
 *          -> report / publish (main.ts is the only place that sets outputs and PATH)
 *
 *   verdict also holds which clients decide (deciders.ts) and the policies' judgement
 *   (policy/evaluate.ts, policy/observe.ts); report also renders the policy tables (policy/markdown.ts).
 *
 * Shared by every layer: floor.ts, errors.ts, cancellation.ts, process/, tls/ (the TLS wire
 * format: ClientHello parsing and the IANA registries) and the policies as data
 * (policy/rules.ts, policy/policies.ts).
 * Run with `npm run deps`. Type-only imports count (tsPreCompilationDeps).
 */
const RUNTIME = '^src/runtime/';
const PROBE = '^src/probe/';
const VERDICT = '^src/judgement/';
const REPORT = '^src/report/';
const SHARED = ['^src/shared/floor\\.ts$', '^src/shared/tls/', '^src/policies/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles, type-only imports included: a cycle means two modules are one, or a layer runs back up.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'probe-not-to-runtime-or-report',
      severity: 'error',
      comment: 'The probe only observes: it knows nothing of how a runtime was obtained, of inputs, or of reports.',
      from: { path: PROBE },
      to: { path: [RUNTIME, REPORT, '^src/inputs/', '^src/action/'] },
    },
    {
      name: 'verdict-is-pure',
      severity: 'error',
      comment: "The verdict imports nothing but the floor, itself, and the probe's types (checked below).",
      from: { path: VERDICT },
      to: { pathNot: [...SHARED, VERDICT, PROBE] },
    },
    {
      name: 'verdict-only-types-from-probe',
      severity: 'error',
      comment: 'The verdict reads observations; it runs no probe code.',
      from: { path: VERDICT },
      to: { path: PROBE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'runtime-not-to-probe-report-inputs',
      severity: 'error',
      comment: 'runtime/ owns its request type (inputs.ts maps onto it); it knows nothing of the probe or the report.',
      from: { path: RUNTIME },
      to: { path: [PROBE, REPORT, VERDICT, '^src/inputs/', '^src/action/'] },
    },
    {
      name: 'inputs-not-to-later-layers',
      severity: 'error',
      comment: 'inputs.ts reads and checks inputs; verdict logic (which clients decide) lives with the verdict.',
      from: { path: '^src/inputs/' },
      to: { path: [PROBE, VERDICT, REPORT, '^src/action/'] },
    },
    {
      name: 'report-only-types-from-probe',
      severity: 'error',
      comment: "The report may use the verdict and the probe's types; it runs no probe or runtime code.",
      from: { path: REPORT },
      to: { path: [PROBE, RUNTIME], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-index-imports-main',
      severity: 'error',
      comment: 'main.ts composes the layers; nothing below it imports it back.',
      from: { pathNot: ['^src/index\\.ts$', '^src/action/'] },
      to: { path: '^src/action/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
