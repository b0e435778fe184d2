export type { ClientRuleResult, PolicyEvaluation, RuleResult, Status } from './evaluate.js';
export { evaluatePolicies } from './evaluate.js';
export { describeCheck, evaluationTable, policyIndex, policyReference } from './markdown.js';
export type { PolicyEvidence } from './observe.js';
export { observeClients, serversFor } from './observe.js';
export { POLICIES } from './policies.js';
export type {
  Check,
  ClientObservation,
  Policy,
  PolicyContext,
  PolicyId,
  Rule,
  ServerKind,
  ServerObservation,
} from './rules.js';
export { POLICY_IDS, SERVER_DESCRIPTIONS, SERVER_KINDS } from './rules.js';
