/**
 * src/ is its layers: one folder per layer, and a folder imports only the folders its layer names
 * in `may` (each of which comes before it in LAYERS). The flow of a run (CONTRIBUTING.md, "Architecture"):
 *
 *   inputs -> runtime (find, fetch, build, verify) -> probe (servers, controls, clients: observations only)
 *          -> judgement (pure) -> report -> action (run, client choice, publish: the action's one
 *             place that sets outputs, PATH and the summary; merge: the merge action's)
 *
 * The probe comes before the policies and the inputs in the import order: a policy names the
 * probe's server kinds, and the inputs choose policies. Only the two entry points lie outside a
 * folder: src/index.ts (the action, action.yml) and src/merge.ts (the merge action, merge/action.yml).
 *
 * `npm run deps` runs dependency-cruiser with the rules below (one per layer, named layer-<name>,
 * and a few finer ones), then scripts/layers.mjs over the same graph, which reads the layers back
 * from those rules: no folder-level cycle, every file in a layer, and each layer's `may` naming
 * only earlier layers. Type-only imports count (tsPreCompilationDeps).
 */
const LAYERS = [
  {
    name: 'shared',
    path: '^src/shared/',
    may: [],
    says: 'What every layer uses (floor, errors, cancellation, process, the TLS wire format, python facts).',
  },
  {
    name: 'probe',
    path: '^src/probe/',
    may: ['shared'],
    says: 'The probe only observes: it knows nothing of how a runtime was obtained, of inputs, policies or reports.',
  },
  {
    name: 'policies',
    path: '^src/policies/',
    may: ['shared', 'probe'],
    says: "The policies are data: rules naming the probe's server kinds, and nothing that runs.",
  },
  {
    name: 'runtime-model',
    path: '^src/runtime/model/',
    may: ['shared'],
    says: 'What a runtime is (plan, versions, request, platform, compatibility), apart from how one arrives.',
  },
  {
    name: 'runtime',
    path: '^src/runtime/(?!model/)',
    may: ['shared', 'runtime-model'],
    says: 'Every way a runtime arrives; it owns its request type (inputs map onto it) and knows nothing later.',
  },
  {
    name: 'inputs',
    path: '^src/inputs/',
    may: ['shared', 'probe', 'policies', 'runtime-model'],
    says: 'The inputs are read and checked into one object; of the probe only the client kinds (data), nothing of the judgement or the report.',
  },
  {
    name: 'judgement',
    path: '^src/judgement/',
    may: ['shared', 'policies', 'probe'],
    says: "The judgement is pure: observations in, a verdict and the policies' results out.",
  },
  {
    name: 'report',
    path: '^src/report/',
    may: ['shared', 'policies', 'probe', 'runtime-model', 'judgement'],
    says: 'The report is made from the judgement; it runs no probe or runtime code.',
  },
  {
    name: 'action',
    path: '^src/action/',
    may: ['shared', 'probe', 'policies', 'runtime-model', 'runtime', 'inputs', 'judgement', 'report'],
    says: 'The actions (the probe, the merge) compose the layers; nothing but the entry points import them.',
  },
];
// src/index.ts: the action (action.yml); src/merge.ts: the merge action (merge/action.yml).
const ENTRY_POINTS = ['^src/index\\.ts$', '^src/merge\\.ts$'];
const path = (name) => LAYERS.find((l) => l.name === name).path;
const SERVER_KINDS = '^src/probe/server_kinds\\.ts$';
const CLIENT_KINDS = '^src/probe/client_kinds\\.ts$';

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
    // One rule per layer: it imports only itself and the layers it names.
    ...LAYERS.map((layer) => ({
      name: `layer-${layer.name}`,
      severity: 'error',
      comment: layer.says,
      from: { path: layer.path },
      to: { path: '^src/', pathNot: [layer.path, ...layer.may.map(path)] },
    })),
    {
      name: 'policies-only-server-kinds-from-probe',
      severity: 'error',
      comment: "A policy names the probe's server kinds; nothing else of the probe.",
      from: { path: path('policies') },
      to: { path: path('probe'), pathNot: SERVER_KINDS },
    },
    {
      name: 'judgement-only-types-from-probe',
      severity: 'error',
      comment: 'The judgement reads observations; it runs no probe code (the server and client kinds are data).',
      from: { path: path('judgement') },
      to: { path: path('probe'), pathNot: [SERVER_KINDS, CLIENT_KINDS], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'report-only-types-from-probe-and-runtime',
      severity: 'error',
      comment:
        "The report uses the probe's and the runtime's types (and the client kinds, data); it runs none of their code.",
      from: { path: path('report') },
      to: { path: [path('probe'), path('runtime-model')], pathNot: CLIENT_KINDS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'inputs-only-client-kinds-from-probe',
      severity: 'error',
      comment: 'The inputs check the client inputs against the client kinds; nothing else of the probe.',
      from: { path: path('inputs') },
      to: { path: path('probe'), pathNot: CLIENT_KINDS },
    },
    {
      name: 'runtime-loaded-lazily',
      severity: 'error',
      comment: "A probe-only run does not load the runtime's code at start-up: the action imports it dynamically.",
      from: { path: path('action') },
      to: { path: path('runtime'), dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
    {
      name: 'only-entry-points-outside-layers',
      severity: 'error',
      comment: 'Every module of src/ lives in a layer folder, but the entry points.',
      from: {},
      to: { path: '^src/[^/]+$', pathNot: ENTRY_POINTS },
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
