import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { policiesFromInput } from '../../src/inputs/inputs.js';
import { evaluatePolicies } from '../../src/judgement/evaluate.js';
import { POLICIES } from '../../src/policies/policies.js';
import {
  type ClientObservation,
  type FipsObservation,
  POLICY_IDS,
  type Policy,
  type Rule,
  type ServerObservation,
} from '../../src/policies/rules.js';
import { SERVER_KINDS, type ServerKind } from '../../src/probe/server_kinds.js';
import { InputError } from '../../src/shared/errors.js';
import { type ClientHello, parseClientHello } from '../../src/shared/tls/client_hello.js';

// ---- Synthetic observations ----

/** A ClientHello that satisfies every rule of every policy. */
function idealHello(): ClientHello {
  return {
    recordVersion: 0x0301,
    legacyVersion: { code: 0x0303, name: 'TLSv1.2' },
    supportedVersions: [
      { code: 0x0304, name: 'TLSv1.3' },
      { code: 0x0303, name: 'TLSv1.2' },
    ],
    cipherSuites: [
      { code: 0x1301, name: 'TLS_AES_128_GCM_SHA256' },
      { code: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' },
      { code: 0xc023, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256' },
    ],
    compressionMethods: [0],
    extensions: [],
    supportedGroups: [
      { code: 0x11ec, name: 'X25519MLKEM768' },
      { code: 0x001d, name: 'x25519' },
    ],
    keyShareGroups: [
      { code: 0x11ec, name: 'X25519MLKEM768' },
      { code: 0x001d, name: 'x25519' },
    ],
    signatureAlgorithms: [
      { code: 0x0403, name: 'ecdsa_secp256r1_sha256' },
      { code: 0x0804, name: 'rsa_pss_rsae_sha256' },
    ],
    serverName: 'localhost',
    flags: {
      serverName: true,
      extendedMasterSecret: true,
      renegotiationInfo: true,
      encryptThenMac: true,
      sessionTicket: false,
      alpn: false,
      fallbackScsv: false,
      emptyRenegotiationInfoScsv: false,
    },
    recordBytes: 512,
  };
}

/** What a server kind must do for a client that satisfies every rule. */
const IDEAL_OUTCOME: Record<ServerKind, ServerObservation['outcome']> = {
  modern: 'connected',
  TLSv1: 'refused',
  'TLSv1.1': 'refused',
  'TLSv1.2': 'connected',
  'TLSv1.3': 'connected',
  'mozilla-intermediate': 'connected',
  'cbc-sha1-only': 'refused',
  'static-rsa-only': 'refused',
  'null-only': 'refused',
  'sha1-signed': 'refused',
  'cert-expired': 'refused',
  'cert-wrong-host': 'refused',
  'cert-unknown-issuer': 'refused',
  'pq-hybrid-only': 'connected',
  'chacha20-only': 'refused',
};

/** A FIPS runtime as observed: in FIPS mode, its provider active after fipsinstall, of a validated version. */
function idealFips(): FipsObservation {
  return {
    process: {
      defaultPropertiesFips: true,
      opensslConf: '/t/tls-floor-openssl/3.5.7/x/ssl/openssl-fips.cnf',
      md5: 'raises ValueError: [digital envelope routines] unsupported',
      md5NotForSecurity: 'works',
      sha256: 'works',
      builtinHashes: [],
    },
    providers: [
      { id: 'base', name: 'OpenSSL Base Provider', version: '3.5.7', buildInfo: '3.5.7', status: 'active' },
      { id: 'fips', name: 'OpenSSL FIPS Provider', version: '3.1.2', buildInfo: '3.1.2', status: 'active' },
    ],
    install: { installedAt: '2026-12-01T16:00:00.000Z', said: 'INSTALL PASSED' },
  };
}

function ideal(client = 'default', hello: ClientHello = idealHello()): ClientObservation {
  return {
    client,
    hellos: [{ server: 'modern', hello }],
    servers: Object.fromEntries(SERVER_KINDS.map((k) => [k, { outcome: IDEAL_OUTCOME[k] }])),
    fips: idealFips(),
  };
}

const all = Object.values(POLICIES);
const ctx = { floor: '1.2' as const };
const only = (rule: Rule, policy: Policy): Policy => ({ ...policy, rules: [rule] });
const everyRule = all.flatMap((policy) => policy.rules.map((rule) => [rule.id, rule, policy] as const));

/** An observation that breaks exactly this rule's check. */
function violating(rule: Rule): ClientObservation {
  const o = ideal('strict');
  const check = rule.check;
  const hello = idealHello();
  if ('mustRefuse' in check) {
    for (const k of check.mustRefuse)
      o.servers[k === 'below-floor' ? 'TLSv1' : k] = { outcome: 'connected', detail: 'TLSv1.2 with X' };
  } else if ('mustConnect' in check) {
    for (const k of check.mustConnect) o.servers[k] = { outcome: 'refused', detail: 'HANDSHAKE_FAILURE' };
  } else if ('notOffered' in check) {
    const offer = check.notOffered;
    if (typeof offer === 'object') hello.supportedVersions!.push({ code: 0x0301, name: 'TLSv1' });
    else if (offer === 'staticRsa') hello.cipherSuites.push({ code: 0x009c, name: 'TLS_RSA_WITH_AES_128_GCM_SHA256' });
    else if (offer === 'null') hello.cipherSuites.push({ code: 0x0002, name: 'TLS_RSA_WITH_NULL_SHA' });
    else if (offer === 'cbcSha1') hello.cipherSuites.push({ code: 0xc013, name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' });
    else if (offer === 'sha1Signatures') hello.signatureAlgorithms!.push({ code: 0x0201, name: 'rsa_pkcs1_sha1' });
    else if (offer === 'compression') hello.compressionMethods = [1, 0];
    else hello.flags.fallbackScsv = true;
    o.hellos = [{ server: 'modern', hello }];
  } else if ('fipsModule' in check) {
    if (check.fipsModule === 'active') o.fips!.process!.md5 = 'works';
    else o.fips!.providers = [{ id: 'fips', name: 'OpenSSL FIPS Provider', version: '3.5.7', status: 'active' }];
  } else {
    const f = check.mustOffer;
    if (f === 'renegotiationInfo') hello.flags.renegotiationInfo = false;
    else if (f === 'extendedMasterSecret') hello.flags.extendedMasterSecret = false;
    else if (f === 'serverName') hello.flags.serverName = false;
    else if (f === 'signatureAlgorithms') delete hello.signatureAlgorithms;
    else if (f === 'sha256Signatures') hello.signatureAlgorithms = [{ code: 0x0503, name: 'ecdsa_secp384r1_sha384' }];
    else if (f === 'encryptThenMacWhenCbc') hello.flags.encryptThenMac = false;
    else if (f === 'hybridPqGroup') hello.supportedGroups = [{ code: 0x001d, name: 'x25519' }];
    else hello.keyShareGroups = [{ code: 0x001d, name: 'x25519' }];
    o.hellos = [{ server: 'modern', hello }];
  }
  return o;
}

/** The same client, with this rule's evidence missing (server untestable, or no hello). */
function unobserved(rule: Rule): ClientObservation {
  const o = ideal('strict');
  const check = rule.check;
  if ('mustRefuse' in check || 'mustConnect' in check) {
    const kinds = 'mustRefuse' in check ? check.mustRefuse : check.mustConnect;
    for (const k of kinds)
      o.servers[k === 'below-floor' ? 'TLSv1' : k] = { outcome: 'untestable', detail: 'the control failed' };
  } else if ('fipsModule' in check) {
    delete o.fips;
  } else {
    o.hellos = [];
  }
  return o;
}

describe('the policies (data)', () => {
  it('list every policy the action names, each rule with a unique id under its policy, a level and a citation', () => {
    expect(Object.keys(POLICIES).sort()).toEqual([...POLICY_IDS].sort());
    const ids = everyRule.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [id, rule, policy] of everyRule) {
      expect(id.startsWith(`${policy.id}.`), id).toBe(true);
      expect(['MUST', 'SHOULD']).toContain(rule.level);
      expect(rule.citation.length, id).toBeGreaterThan(5);
      expect(Object.keys(rule.check)).toHaveLength(1);
      const kinds =
        'mustRefuse' in rule.check ? rule.check.mustRefuse : 'mustConnect' in rule.check ? rule.check.mustConnect : [];
      for (const k of kinds) expect([...SERVER_KINDS, 'below-floor']).toContain(k);
    }
  });

  it('cite RFC 9325 by the sections read (3.1.1, 3.1.3, 3.3, 3.5, 3.7, 4.1, 4.2, 4.2.1, 4.5)', () => {
    const sections = new Set(POLICIES.rfc9325.rules.map((r) => r.citation.replace('RFC 9325 §', '')));
    expect([...sections].sort()).toEqual(['3.1.1', '3.1.3', '3.3', '3.5', '3.7', '4.1', '4.2', '4.2.1', '4.5']);
  });

  it('a client that does everything right passes every rule of every policy', () => {
    const evaluation = evaluatePolicies(all, [ideal('default'), ideal('strict')], ctx);
    expect(evaluation.results.filter((r) => r.status !== 'pass').map((r) => r.sentence)).toEqual([]);
    expect(evaluation.failed).toEqual([]);
    expect(evaluation.results).toHaveLength(everyRule.length);
  });
});

describe.each(everyRule)('rule %s', (id, rule, policy) => {
  it(`a violation ${rule.level === 'MUST' ? 'fails' : 'warns'}, in one sentence naming the rule and its source`, () => {
    const [result] = evaluatePolicies([only(rule, policy)], [ideal('default'), violating(rule)], ctx).results;
    expect(result!.status).toBe(rule.level === 'MUST' ? 'fail' : 'warn');
    expect(result!.sentence).toContain(id);
    expect(result!.sentence).toContain(rule.citation);
    expect(result!.sentence).toContain('the strict client');
    expect(result!.sentence).not.toContain('the default client'); // only the offender is named
    expect(result!.sentence.replace(rule.citation, '').split(/\.\s/)).toHaveLength(1);
    expect(result!.clients.map((c) => c.status)).toEqual(['pass', rule.level === 'MUST' ? 'fail' : 'warn']);
  });

  it('missing evidence is untestable, never a pass', () => {
    const [result] = evaluatePolicies([only(rule, policy)], [unobserved(rule)], ctx).results;
    expect(result!.status).toBe('untestable');
    expect(result!.sentence).toMatch(
      /could not be tested on this runner \(the control failed\)|no ClientHello|saw no Python runtime|no FIPS provider version/,
    );
  });
});

describe('evaluatePolicies', () => {
  it('names the negotiated details of a violation', () => {
    const o = ideal('strict');
    o.servers['null-only'] = { outcome: 'connected', detail: 'TLSv1.2 with NULL-SHA256' };
    const evaluation = evaluatePolicies([POLICIES.rfc9325], [o], ctx);
    const result = evaluation.results.find((r) => r.rule === 'rfc9325.no-null')!;
    expect(result.sentence).toBe(
      'rfc9325.no-null (RFC 9325 §4.1, MUST: not negotiate cipher suites with NULL encryption) failed: the strict ' +
        'client completed a handshake with the NULL-encryption-only server (TLSv1.2 with NULL-SHA256).',
    );
    expect(evaluation.failed).toEqual(['rfc9325.no-null']);
  });

  it('a server that did not run is untestable, and says so', () => {
    const o = ideal();
    delete o.servers['pq-hybrid-only'];
    const [, , negotiate] = evaluatePolicies([POLICIES['pq-hybrid']], [o], ctx).results;
    expect(negotiate).toMatchObject({ rule: 'pq-hybrid.negotiate', status: 'untestable' });
    expect(negotiate!.sentence).toMatch(/the hybrid-post-quantum-only server .* did not run\.$/);
  });

  it('a violation outweighs an untestable server in the same rule', () => {
    const o = ideal('strict');
    o.servers.TLSv1 = { outcome: 'untestable', detail: 'the control failed' };
    o.servers['TLSv1.1'] = { outcome: 'connected', detail: 'TLSv1.1' };
    const [result] = evaluatePolicies([only(POLICIES.rfc9325.rules[0]!, POLICIES.rfc9325)], [o], ctx).results;
    expect(result!.status).toBe('fail');
    expect(result!.sentence).toContain('the TLSv1.1-only server (TLSv1.1)');
  });

  it("'below-floor' means TLS 1.0 and 1.1 at floor 1.2, and TLS 1.2 as well at floor 1.3", () => {
    const o = ideal();
    o.servers['TLSv1.2'] = { outcome: 'connected', detail: 'TLSv1.2' };
    const rule = POLICIES.floor.rules[1]!;
    expect(evaluatePolicies([POLICIES.floor], [o], { floor: '1.2' }).results[1]!.status).toBe('pass');
    const at13 = evaluatePolicies([POLICIES.floor], [o], { floor: '1.3' }).results[1]!;
    expect(at13).toMatchObject({ rule: rule.id, status: 'fail' });
    expect(at13.sentence).toContain('the TLSv1.2-only server (TLSv1.2)');
  });

  it('no client observed: every rule is untestable', () => {
    const evaluation = evaluatePolicies([POLICIES.floor], [], ctx);
    expect(evaluation.results.map((r) => r.status)).toEqual(['untestable', 'untestable']);
    expect(evaluation.results[0]!.sentence).toMatch(/no client was observed\.$/);
  });

  it('does not touch its input', () => {
    const observations = [ideal('default'), violating(POLICIES['pq-hybrid'].rules[0]!)];
    const before = JSON.stringify(observations);
    evaluatePolicies(all, observations, ctx);
    expect(JSON.stringify(observations)).toBe(before);
  });
});

/** The hello of a client that offers only TLS 1.3 (OpenSSL 3.x at minimum TLS 1.3: no renegotiation_info, no SCSV). */
function tls13OnlyHello(): ClientHello {
  const hello = idealHello();
  hello.supportedVersions = [{ code: 0x0304, name: 'TLSv1.3' }];
  hello.cipherSuites = [{ code: 0x1301, name: 'TLS_AES_128_GCM_SHA256' }];
  hello.flags.renegotiationInfo = false;
  hello.flags.emptyRenegotiationInfoScsv = false;
  hello.flags.extendedMasterSecret = false;
  return hello;
}

/** A sound runtime with a TLS 1.3 floor: TLS 1.2 and below refused, its hellos TLS 1.3 only. */
function floor13Client(client = 'default'): ClientObservation {
  const o = ideal(client, tls13OnlyHello());
  for (const kind of ['TLSv1.2', 'cbc-sha1-only', 'static-rsa-only', 'null-only', 'sha1-signed'] as const)
    o.servers[kind] = { outcome: 'refused', detail: 'UNSUPPORTED_PROTOCOL' };
  return o;
}

describe("not applicable: rules the floor or the client's own versions make meaningless (issue 17, items 7 and 8)", () => {
  const at13 = { floor: '1.3' as const };

  it('at a 1.3 floor, rfc9325.tls12 and nist-800-52r2.tls12 are not applicable, never failed', () => {
    const e = evaluatePolicies(all, [floor13Client()], at13);
    const tls12 = e.results.filter((r) => r.rule === 'rfc9325.tls12' || r.rule === 'nist-800-52r2.tls12');
    expect(tls12.map((r) => r.status)).toEqual(['not-applicable', 'not-applicable']);
    expect(e.notApplicable).toEqual(expect.arrayContaining(['rfc9325.tls12', 'nist-800-52r2.tls12']));
    expect(e.failed).toEqual([]);
    expect(e.warned).toEqual([]);
    expect(tls12[0]!.sentence).toBe(
      'rfc9325.tls12 (RFC 9325 §3.1.1, MUST: support TLS 1.2) is not applicable: for the default client, the TLS 1.3 ' +
        'floor (min-tls-version) forbids the TLSv1.2-only server, which this rule asks to connect to; the floor decides it.',
    );
  });

  it.each(everyRule.filter(([, rule]) => 'mustConnect' in rule.check))(
    '%s: not applicable exactly when the floor forbids every server it names',
    (_id, rule, policy) => {
      const kinds = 'mustConnect' in rule.check ? rule.check.mustConnect : [];
      const [result] = evaluatePolicies([only(rule, policy)], [violating(rule)], at13).results;
      const forbidden = kinds.every((k) => k === 'TLSv1.2');
      expect(result!.status).toBe(forbidden ? 'not-applicable' : rule.level === 'MUST' ? 'fail' : 'warn');
      // And with no client observed at all: still not applicable, not untestable.
      if (forbidden) expect(evaluatePolicies([only(rule, policy)], [], at13).results[0]!.status).toBe('not-applicable');
    },
  );

  it('at a 1.2 floor the same rules are judged: a client that cannot reach the TLS 1.2 server fails them', () => {
    const e = evaluatePolicies(all, [floor13Client()], ctx);
    expect(e.failed).toEqual(expect.arrayContaining(['rfc9325.tls12', 'nist-800-52r2.tls12']));
  });

  it('a client that offers only TLS 1.3 is not applicable for renegotiation_info and extended_master_secret', () => {
    const e = evaluatePolicies(all, [floor13Client()], at13);
    for (const id of [
      'rfc9325.renegotiation-info',
      'nist-800-52r2.renegotiation-info',
      'rfc9325.extended-master-secret',
      'nist-800-52r2.extended-master-secret',
    ]) {
      const r = e.results.find((x) => x.rule === id)!;
      expect(r.status, id).toBe('not-applicable');
      expect(r.sentence, id).toMatch(/the default client offered only TLS 1\.3, and TLS 1\.3 has no/);
    }
    expect(
      e.results.filter((r) => r.status !== 'pass' && r.status !== 'not-applicable').map((r) => r.sentence),
    ).toEqual([]);
  });

  it('the same rule still judges the ClientHellos of a client that offers TLS 1.2, and the client beside it', () => {
    const rule = POLICIES.rfc9325.rules.find((r) => r.id === 'rfc9325.renegotiation-info')!;
    const without = idealHello();
    without.flags.renegotiationInfo = false;
    const mixed = ideal('default', tls13OnlyHello());
    mixed.hellos = [...mixed.hellos, { server: 'TLSv1.2', hello: without }];
    expect(evaluatePolicies([only(rule, POLICIES.rfc9325)], [mixed], ctx).results[0]!.status).toBe('fail');
    const e = evaluatePolicies(
      [only(rule, POLICIES.rfc9325)],
      [ideal('default', tls13OnlyHello()), ideal('urllib3')],
      ctx,
    );
    expect(e.results[0]!.status).toBe('pass');
    expect(e.results[0]!.clients.map((c) => c.status)).toEqual(['not-applicable', 'pass']);
  });
});

describe('which clients a policy judges (issue 17, item 9)', () => {
  const strict = (o: ClientObservation): ClientObservation => ({ ...o, client: 'strict', capability: true });
  const sha1Rule = POLICIES.rfc9325.rules.find((r) => r.id === 'rfc9325.no-sha1-signatures')!;

  it('the strict (capability) client completing the SHA-1-signed server is information, not a failure', () => {
    const e = evaluatePolicies([POLICIES.rfc9325], [ideal('default'), strict(violating(sha1Rule))], ctx);
    const r = e.results.find((x) => x.rule === sha1Rule.id)!;
    expect(r.status).toBe('pass');
    expect(e.failed).toEqual([]);
    expect(r.clients).toEqual([
      expect.objectContaining({ client: 'default', status: 'pass', judged: true }),
      expect.objectContaining({ client: 'strict', status: 'fail', judged: false }),
    ]);
    expect(r.sentence).not.toContain('strict');
  });

  it('the floor policy judges the strict client when it decides (probe-mode both or strict), and only then', () => {
    const below = strict(violating(POLICIES.floor.rules[1]!));
    expect(evaluatePolicies([POLICIES.floor], [ideal('default'), below], ctx).failed).toEqual([
      'floor.refuse-below-floor',
    ]);
    const notDeciding = { ...below, decides: false };
    expect(evaluatePolicies([POLICIES.floor], [ideal('default'), notDeciding], ctx).failed).toEqual([]);
  });

  it('every other policy judges the default-side clients in every probe-mode, never the strict one', () => {
    const judged = (e: ReturnType<typeof evaluatePolicies>) =>
      [...new Set(e.results.flatMap((r) => r.clients.filter((c) => c.judged).map((c) => c.client)))].sort();
    const observations = [{ ...ideal('default'), decides: false }, strict(ideal('strict')), ideal('command')];
    expect(
      judged(
        evaluatePolicies(
          all.filter((p) => p.id !== 'floor'),
          observations,
          ctx,
        ),
      ),
    ).toEqual(['command', 'default']);
    expect(judged(evaluatePolicies([POLICIES.floor], observations, ctx))).toEqual(['command', 'strict']);
  });
});

describe('the policies on the real ClientHellos of this machine (test/fixtures/client-hello)', () => {
  const captured = (name: string): ClientHello => {
    const hex = readFileSync(path.resolve('test/fixtures/client-hello', `${name}.hex`), 'utf8').replace(/\s/g, '');
    const result = parseClientHello(Buffer.from(hex, 'hex'));
    if (!result.ok) throw new Error(result.error);
    return result.hello;
  };
  const onlyHellos = (client: string, hello: ClientHello): ClientObservation => ({
    client,
    hellos: [{ server: 'modern', hello }],
    servers: {},
  });
  const statusOf = (policy: Policy, observation: ClientObservation, rule: string) =>
    evaluatePolicies([policy], [observation], ctx).results.find((r) => r.rule === rule)!;

  it('pq-hybrid: Node.js 24 offers and shares X25519MLKEM768; Node.js 20 offers no hybrid group', () => {
    const node24 = onlyHellos('node24', captured('node24-default'));
    expect(statusOf(POLICIES['pq-hybrid'], node24, 'pq-hybrid.offer-group').status).toBe('pass');
    expect(statusOf(POLICIES['pq-hybrid'], node24, 'pq-hybrid.key-share').status).toBe('pass');
    const node20 = statusOf(
      POLICIES['pq-hybrid'],
      onlyHellos('node20', captured('node20-default')),
      'pq-hybrid.offer-group',
    );
    expect(node20.status).toBe('fail');
    expect(node20.sentence).toContain(
      'offered no hybrid ML-KEM group (supported_groups: x25519, secp256r1, x448, secp521r1 and 6 more)',
    );
  });

  it('rfc9325: the strict Python context warns on SHA-1 signatures; the default one lists TLS 1.0 and 1.1', () => {
    const strict = onlyHellos('strict', captured('python311-strict'));
    const sha1 = statusOf(POLICIES.rfc9325, strict, 'rfc9325.offer-no-sha1-signatures');
    expect(sha1.status).toBe('warn');
    expect(sha1.sentence).toContain('offered ecdsa_sha1, rsa_pkcs1_sha1, dsa_sha1');
    const loose = onlyHellos('default', captured('python311-default'));
    expect(statusOf(POLICIES.rfc9325, loose, 'rfc9325.offer-no-sha1-signatures').status).toBe('pass');
    expect(statusOf(POLICIES.rfc9325, loose, 'rfc9325.offer-no-tls10-tls11').sentence).toContain(
      'offered TLSv1.1, TLSv1',
    );
  });

  it('renegotiation_info: OpenSSL 3.0 (SCSV) and 3.5 (extension) both pass; a TLS 1.0-pinned Node still signals it', () => {
    for (const name of [
      'node20-default',
      'node24-default',
      'curl7-default',
      'openssl30-s_client',
      'node20-tls1-only',
    ]) {
      expect(
        statusOf(POLICIES.rfc9325, onlyHellos(name, captured(name)), 'rfc9325.renegotiation-info').status,
        name,
      ).toBe('pass');
    }
  });

  it('nist-800-52r2: a TLS 1.0-pinned Node.js sends no signature_algorithms and fails that rule', () => {
    const result = statusOf(
      POLICIES['nist-800-52r2'],
      onlyHellos('pinned', captured('node20-tls1-only')),
      'nist-800-52r2.signature-algorithms',
    );
    expect(result.status).toBe('fail');
    expect(result.sentence).toContain('did not send signature_algorithms');
  });
});

describe('policiesFromInput', () => {
  it('reads names separated by commas, blanks or lines, once each, in order', () => {
    expect(policiesFromInput('rfc9325, pq-hybrid\nrfc9325 floor').map((p) => p.id)).toEqual([
      'rfc9325',
      'pq-hybrid',
      'floor',
    ]);
  });

  it('refuses an unknown or empty value in one line naming the input and what is allowed', () => {
    expect(() => policiesFromInput('rfc9325, pci')).toThrow(InputError);
    expect(() => policiesFromInput('rfc9325, pci')).toThrow(
      "policy: 'pci' is not one of floor, rfc9325, nist-800-52r2, mozilla-intermediate, mozilla-modern, pq-hybrid, pci-dss-4",
    );
    expect(() => policiesFromInput(' , ')).toThrow(/^policy: give one or more of floor, /);
  });
});
