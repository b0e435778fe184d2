import {
  type ClientObservation,
  FEATURE_WORDS,
  type Feature,
  type Offer,
  offerWords,
  type Policy,
  type PolicyContext,
  type PolicyId,
  type Rule,
  TLS12_FEATURES,
} from '../policies/rules.js';
import { SERVERS, type ServerKind } from '../probe/server_kinds.js';
import { versionsBelow } from '../shared/floor.js';
import {
  type ClientHello,
  cbcSha1Suites,
  cbcSuites,
  hybridPqGroups,
  hybridPqKeyShares,
  nullSuites,
  offeredVersions,
  offersTlsBelow,
  sha1Signatures,
  sha256Signatures,
  staticRsaSuites,
} from '../shared/tls/client_hello.js';
import { judgeFipsActive, judgeFipsValidated } from './fips.js';

/**
 * Judges observations against policies: a pure function. A violated MUST fails, a violated
 * SHOULD warns; a rule whose server could not be tested on this runner (its control failed, or
 * it did not run) or whose client sent no ClientHello is 'untestable', never a pass; a rule the
 * floor or the client's own versions make meaningless (connecting to a server below the floor,
 * renegotiation_info from a client that offers only TLS 1.3) is 'not-applicable', never a
 * failure. Which clients a policy judges: judgedBy() below.
 */

export type Status = 'pass' | 'fail' | 'warn' | 'untestable' | 'not-applicable';

export interface ClientRuleResult {
  client: string;
  status: Status;
  /** What this client did, in one clause ("the strict client refused the NULL-encryption-only server"). */
  finding: string;
  /** Whether the rule's status counts it; a client the policy does not judge is information only. */
  judged: boolean;
}

export interface RuleResult {
  policy: PolicyId;
  rule: string;
  level: Rule['level'];
  citation: string;
  status: Status;
  /** One sentence naming the rule, its source and what happened. */
  sentence: string;
  clients: ClientRuleResult[];
}

export interface PolicyEvaluation {
  results: RuleResult[];
  /** Rule ids by status, for outputs ("failed-rules"). */
  failed: string[];
  warned: string[];
  untestable: string[];
  notApplicable: string[];
}

/**
 * Whether a policy judges a client. The `floor` policy is the verdict restated, so it judges the
 * clients that decide in the chosen probe-mode, the strict one included: the floor is what the
 * hardened library holds whatever a program configures. Every other policy judges the clients a
 * program gets (default, urllib3, a user's command), in every probe-mode, and never the capability
 * client (strict): the action itself sets it to the lowest version and every suite at security
 * level 0, so a SHA-1 signature or a weak suite it completes is the action's configuration, not a
 * failure of the runtime; its results are kept as information.
 */
export function judgedBy(policy: Policy, observation: ClientObservation): boolean {
  return policy.id === 'floor' ? observation.decides !== false : observation.capability !== true;
}

export function evaluatePolicies(
  policies: readonly Policy[],
  observations: readonly ClientObservation[],
  context: PolicyContext,
): PolicyEvaluation {
  const results: RuleResult[] = [];
  for (const policy of policies) {
    for (const rule of policy.rules) {
      const clients = observations.map((o) => ({ ...judge(rule, o, context), judged: judgedBy(policy, o) }));
      const judged = clients.filter((c) => c.judged);
      const status =
        worst(judged.map((c) => c.status)) ?? (inapplicable(rule, context) ? 'not-applicable' : 'untestable');
      results.push({
        policy: policy.id,
        rule: rule.id,
        level: rule.level,
        citation: rule.citation,
        status,
        sentence: sentence(rule, status, judged, context),
        clients,
      });
    }
  }
  const ids = (status: Status) => results.filter((r) => r.status === status).map((r) => r.rule);
  return {
    results,
    failed: ids('fail'),
    warned: ids('warn'),
    untestable: ids('untestable'),
    notApplicable: ids('not-applicable'),
  };
}

/** A client for which the rule is not applicable counts least: any other result names the rule's status. */
const RANK: Record<Status, number> = { 'not-applicable': 0, pass: 1, untestable: 2, warn: 3, fail: 4 };

/** The most serious status wins; undefined when no client was judged. */
function worst(statuses: Status[]): Status | undefined {
  return statuses.reduce<Status | undefined>((a, b) => (a === undefined || RANK[b] > RANK[a] ? b : a), undefined);
}

const VERDICT_WORDS: Record<Status, string> = {
  pass: 'passed',
  fail: 'failed',
  warn: 'warns',
  untestable: 'is not testable here',
  'not-applicable': 'is not applicable',
};

function sentence(rule: Rule, status: Status, clients: ClientRuleResult[], context: PolicyContext): string {
  const head = `${rule.id} (${rule.citation}, ${rule.level}: ${rule.requirement})`;
  const relevant = status === 'pass' ? clients : clients.filter((c) => c.status === status);
  const findings =
    relevant.map((c) => c.finding).join('; ') || (inapplicable(rule, context) ?? 'no client was observed');
  return `${head} ${VERDICT_WORDS[status]}: ${findings}.`;
}

/**
 * Why the floor makes the rule meaningless, or undefined: a rule that demands connecting to
 * servers the floor forbids (every version they accept is below it) asks for what the floor
 * refuses. A rule that demands refusing them is not: the floor makes it hold, and it is judged.
 */
function inapplicable(rule: Rule, context: PolicyContext): string | undefined {
  if (!('mustConnect' in rule.check)) return undefined;
  const below = versionsBelow(context.floor) as string[];
  const forbidden = rule.check.mustConnect.filter((k) => SERVERS[k].versions.every((v) => below.includes(v)));
  if (forbidden.length === 0 || forbidden.length < rule.check.mustConnect.length) return undefined;
  return (
    `the TLS ${context.floor} floor (min-tls-version) forbids ${forbidden.map((k) => SERVERS[k].description).join(', ')}, ` +
    'which this rule asks to connect to; the floor decides it'
  );
}

type Judged = Omit<ClientRuleResult, 'judged'>;

function judge(rule: Rule, observation: ClientObservation, context: PolicyContext): Judged {
  const who = `the ${observation.client} client`;
  const whose = (n: number) => `${who}'s ${n === 1 ? 'ClientHello' : `${n} ClientHellos`}`;
  const violated = rule.level === 'MUST' ? 'fail' : 'warn';
  const result = (status: Status, finding: string): Judged => ({ client: observation.client, status, finding });
  const check = rule.check;
  const floorSays = inapplicable(rule, context);
  if (floorSays) return result('not-applicable', `for ${who}, ${floorSays}`);

  if ('mustRefuse' in check || 'mustConnect' in check) {
    const refuse = 'mustRefuse' in check;
    const kinds: ServerKind[] = (refuse ? check.mustRefuse : check.mustConnect).flatMap((k) =>
      k === 'below-floor' ? versionsBelow(context.floor) : [k],
    );
    const seen = kinds.map((kind) => ({ kind, observed: observation.servers[kind] }));
    const bad = seen.filter((s) => s.observed?.outcome === (refuse ? 'connected' : 'refused'));
    const open = seen.filter((s) => !s.observed || s.observed.outcome === 'untestable');
    const describe = (s: (typeof seen)[number]) =>
      `${SERVERS[s.kind].description}${s.observed?.detail ? ` (${s.observed.detail})` : ''}`;
    if (bad.length > 0) {
      const did = refuse ? 'completed a handshake with' : 'could not complete a handshake with';
      return result(violated, `${who} ${did} ${bad.map(describe).join(', ')}`);
    }
    if (open.length > 0) {
      const why = (s: (typeof seen)[number]) => {
        if (!s.observed) return `${SERVERS[s.kind].description} did not run`;
        const detail = s.observed.detail ? ` (${s.observed.detail})` : '';
        return `${SERVERS[s.kind].description} could not be tested on this runner${detail}`;
      };
      return result('untestable', `for ${who}, ${open.map(why).join(', ')}`);
    }
    return result('pass', `${who} ${refuse ? 'refused' : 'connected to'} ${seen.map(describe).join(', ')}`);
  }

  if ('fipsModule' in check) {
    const judged = (check.fipsModule === 'active' ? judgeFipsActive : judgeFipsValidated)(observation.fips);
    return result(judged.status === 'violated' ? violated : judged.status, `for ${who}, ${judged.finding}`);
  }

  if (observation.hellos.length === 0) return result('untestable', `no ClientHello of ${who} was captured`);

  if ('notOffered' in check) {
    for (const { server, hello } of observation.hellos) {
      const offered = offending(check.notOffered, hello);
      if (offered.length > 0) {
        return result(violated, `${who} offered ${list(offered)} (ClientHello to the ${server} server)`);
      }
    }
    return result('pass', `${whose(observation.hellos.length)} offered no ${offerWords(check.notOffered)}`);
  }

  // A TLS 1.2 feature is asked only of the ClientHellos that could negotiate TLS 1.2 or lower.
  const onlyTls12 = TLS12_FEATURES[check.mustOffer];
  const hellos = onlyTls12
    ? observation.hellos.filter(({ hello }) => offersTlsBelow(hello, 'TLSv1.3'))
    : observation.hellos;
  if (hellos.length === 0) return result('not-applicable', `${who} offered only TLS 1.3, and ${onlyTls12}`);
  for (const { server, hello } of hellos) {
    const missing = lacks(check.mustOffer, hello);
    if (missing) return result(violated, `${who} ${missing} (ClientHello to the ${server} server)`);
  }
  const some = hellos.length < observation.hellos.length ? ' that offer TLS 1.2 or lower' : '';
  return result('pass', `${whose(hellos.length)}${some} carried ${FEATURE_WORDS[check.mustOffer]}`);
}
const list = (items: string[]) =>
  items.length > 4 ? `${items.slice(0, 4).join(', ')} and ${items.length - 4} more` : items.join(', ');

function offending(offer: Offer, hello: ClientHello): string[] {
  if (typeof offer === 'object') {
    const floorRank = offer.versionsBelow === 'TLSv1.3' ? 0x0304 : 0x0303;
    return offeredVersions(hello)
      .filter((v) => v.code < floorRank)
      .map((v) => v.name ?? `0x${v.code.toString(16)}`);
  }
  switch (offer) {
    case 'staticRsa':
      return staticRsaSuites(hello);
    case 'null':
      return nullSuites(hello);
    case 'cbcSha1':
      return cbcSha1Suites(hello);
    case 'sha1Signatures':
      return sha1Signatures(hello);
    case 'compression':
      return hello.compressionMethods.filter((m) => m !== 0).map((m) => `compression method ${m}`);
    case 'fallbackScsv':
      return hello.flags.fallbackScsv ? ['TLS_FALLBACK_SCSV (a fallback retry)'] : [];
  }
}

/** What the hello lacks, as a clause, or undefined when it has the feature. */
function lacks(feature: Feature, hello: ClientHello): string | undefined {
  switch (feature) {
    case 'renegotiationInfo':
      return hello.flags.renegotiationInfo || hello.flags.emptyRenegotiationInfoScsv
        ? undefined
        : 'sent neither renegotiation_info nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV';
    case 'extendedMasterSecret':
      return hello.flags.extendedMasterSecret ? undefined : 'did not send extended_master_secret';
    case 'serverName':
      return hello.flags.serverName ? undefined : 'did not send server_name';
    case 'signatureAlgorithms':
      return hello.signatureAlgorithms ? undefined : 'did not send signature_algorithms';
    case 'sha256Signatures':
      return sha256Signatures(hello).length > 0 ? undefined : 'did not ask for any SHA-256 signature algorithm';
    case 'encryptThenMacWhenCbc': {
      const cbc = cbcSuites(hello);
      return cbc.length === 0 || hello.flags.encryptThenMac
        ? undefined
        : `offered CBC suites (${list(cbc)}) without encrypt_then_mac`;
    }
    case 'hybridPqGroup': {
      if (hybridPqGroups(hello).length > 0) return undefined;
      const groups = (hello.supportedGroups ?? []).map((g) => g.name ?? `0x${g.code.toString(16)}`);
      return `offered no hybrid ML-KEM group (supported_groups: ${groups.length > 0 ? list(groups) : 'none'})`;
    }
    case 'hybridPqKeyShare': {
      if (hybridPqKeyShares(hello).length > 0) return undefined;
      const shares = (hello.keyShareGroups ?? []).map((g) => g.name ?? `0x${g.code.toString(16)}`);
      return `sent no hybrid ML-KEM key share (key_share: ${shares.length > 0 ? shares.join(', ') : 'none'})`;
    }
  }
}
