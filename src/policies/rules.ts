/**
 * The vocabulary of policies: what a rule checks, said as data, and what the probe observed,
 * per client. Rules never run code of their own; the evaluator (judgement/evaluate.ts) reads them.
 */
import { type ConnectedKind, type RefusedKind, SERVERS, type ServerKind } from '../probe/server_kinds.js';
import type { Floor } from '../shared/floor.js';
import type { ProcessFips } from '../shared/python_facts.js';
import type { ClientHello } from '../shared/tls/client_hello.js';

/** What a server kind is, in words a reader of the job summary understands (its declaration's). */
export const serverDescription = (kind: ServerKind): string => SERVERS[kind].description;

/** Something a ClientHello must not offer. */
export type Offer =
  | { versionsBelow: 'TLSv1.2' | 'TLSv1.3' }
  | 'staticRsa'
  | 'null'
  | 'cbcSha1'
  | 'sha1Signatures'
  | 'compression'
  | 'fallbackScsv';

/** Something a ClientHello must carry. `whenCbc`: only when it offers a CBC suite. */
export type Feature =
  | 'renegotiationInfo'
  | 'extendedMasterSecret'
  | 'serverName'
  | 'signatureAlgorithms'
  | 'sha256Signatures'
  | 'encryptThenMacWhenCbc'
  | 'hybridPqGroup'
  | 'hybridPqKeyShare';

/** Each offer in words, as a noun ("offers no <offer>"): the policy reference and the evaluator say the same. */
export const OFFER_WORDS: Record<Exclude<Offer, object>, string> = {
  staticRsa: 'static-RSA (TLS_RSA_WITH_*) suite',
  null: 'NULL-encryption suite',
  cbcSha1: 'CBC-SHA1 suite',
  sha1Signatures: 'SHA-1 or MD5 signature algorithm',
  compression: 'compression method but null',
  fallbackScsv: 'TLS_FALLBACK_SCSV',
};

export const offerWords = (offer: Offer): string =>
  typeof offer === 'object' ? `version below ${offer.versionsBelow}` : OFFER_WORDS[offer];

/** Each feature in words, as a noun ("carries <feature>"). */
export const FEATURE_WORDS: Record<Feature, string> = {
  renegotiationInfo: 'renegotiation_info (the extension or TLS_EMPTY_RENEGOTIATION_INFO_SCSV)',
  extendedMasterSecret: 'extended_master_secret',
  serverName: 'server_name (SNI)',
  signatureAlgorithms: 'signature_algorithms',
  sha256Signatures: 'a SHA-256 signature algorithm',
  encryptThenMacWhenCbc: 'encrypt_then_mac whenever it offers a CBC suite',
  hybridPqGroup: 'a hybrid ML-KEM group in supported_groups',
  hybridPqKeyShare: 'a hybrid ML-KEM key share',
};

/**
 * The features that exist only up to TLS 1.2, with the reason: a rule about one judges only the
 * ClientHellos that offer TLS 1.2 or lower, and is not applicable to a client that offers only
 * TLS 1.3 (at a 1.3 floor, every sound client).
 */
export const TLS12_FEATURES: Partial<Record<Feature, string>> = {
  renegotiationInfo: 'TLS 1.3 has no renegotiation (RFC 9325 §3.5 applies to TLS 1.2 only)',
  extendedMasterSecret:
    "TLS 1.3 has no use for extended_master_secret: its key schedule binds the whole handshake (RFC 9325 §3.5's rule is for TLS 1.2 implementations)",
};

/** Exactly one check per rule, so each rule has one sentence. */
export type Check =
  | { notOffered: Offer }
  | { mustOffer: Feature }
  /**
   * The client must fail to complete a handshake with each of these servers (kinds a sound client
   * refuses: server_kinds.ts). 'below-floor' is every pinned version under the floor.
   */
  | { mustRefuse: readonly (RefusedKind | 'below-floor')[] }
  /** The client must complete a handshake with each of these servers (kinds a sound client reaches). */
  | { mustConnect: readonly ConnectedKind[] }
  /** The runtime's FIPS module: in FIPS mode and active (`active`), of a validated version (`validated`). */
  | { fipsModule: 'active' | 'validated' };

export interface Rule {
  /** '<policy>.<name>', stable: it goes into outputs and reports. */
  id: string;
  /** MUST fails the job; SHOULD warns. */
  level: 'MUST' | 'SHOULD';
  /** Document and section, as verified: e.g. 'RFC 9325 §4.1'. */
  citation: string;
  /** The requirement in a few words, for the sentence. */
  requirement: string;
  check: Check;
  /** How the rule reads its source, where that takes a choice. */
  note?: string;
}

export interface Policy {
  id: PolicyId;
  title: string;
  /** Where the source can be read. */
  source: string;
  rules: readonly Rule[];
}

export const POLICY_IDS = [
  'floor',
  'rfc9325',
  'nist-800-52r2',
  'mozilla-intermediate',
  'mozilla-modern',
  'pq-hybrid',
  'pci-dss-4',
  'fips-140-3',
] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

// ---- Observations: what the probe saw, per client ----

/** A server's outcome for one client, already corroborated by the probe (control, refusal reason). */
export interface ServerObservation {
  outcome: 'connected' | 'refused' | 'untestable';
  /** e.g. 'TLSv1.2 with NULL-SHA256', the refusal reason, or why it could not be tested. */
  detail?: string;
}

export interface ClientObservation {
  /** The client's name in the report ('default', 'strict', 'urllib3', 'command'). */
  client: string;
  /** Whether it decides the verdict in the chosen probe-mode (absent: it does). */
  decides?: boolean;
  /**
   * The capability client (strict): set up by the action itself (lowest version, every suite at
   * security level 0) to show what the library can be made to do, not what a program gets.
   * Only the `floor` policy judges it; for every other policy its results are information.
   */
  capability?: boolean;
  /** The ClientHello the client sent to each server (by server id), as the servers captured it. */
  hellos: readonly { server: string; hello: ClientHello }[];
  /** Each server kind the probe ran, and what happened with this client; a kind not run is absent. */
  servers: Partial<Record<ServerKind, ServerObservation>>;
  /** The FIPS facts of the runtime the client ran in; absent where the probe saw no Python runtime. */
  fips?: FipsObservation;
}

export interface PolicyContext {
  /** The version floor (min-tls-version): what 'below-floor' means. */
  floor: Floor;
}

/** One provider as the runtime's openssl lists it (`openssl list -providers -verbose`). */
export interface ProviderObservation {
  id: string;
  name?: string;
  version?: string;
  buildInfo?: string;
  status?: string;
}

/** What was observed of the runtime's FIPS module: in the probed process, and of the runtime the action obtained. */
export interface FipsObservation {
  /** The probed interpreter's own process (python_facts.py fips_info); null without _hashlib. */
  process: ProcessFips | null;
  /** The providers the runtime's configuration loads; absent when the action did not obtain the runtime. */
  providers?: readonly ProviderObservation[];
  /** This machine's fipsinstall (runtime/fips.ts); absent as providers, null when it has not run. */
  install?: { installedAt: string; said: string } | null;
}
