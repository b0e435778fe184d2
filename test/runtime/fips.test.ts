import { describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { readInputs } from '../../src/inputs/inputs.js';
import { judgeFipsActive, judgeFipsValidated } from '../../src/judgement/fips.js';
import { certificateOf, newestValidatedProvider } from '../../src/policies/cmvp.js';
import type { FipsObservation } from '../../src/policies/rules.js';
import { ARCHIVE_FORMAT, type ArchiveManifest } from '../../src/runtime/archive/format.js';
import { trustedPlan } from '../../src/runtime/archive/trust.js';
import { pythonOptions } from '../../src/runtime/cpython.js';
import { FIPS_GROUPS, fipsConfig, fipsPthLine, parseProviders } from '../../src/runtime/fips.js';
import { fipsIncompatibility } from '../../src/runtime/model/fips_rules.js';
import { planBuild, type SourceSpec } from '../../src/runtime/model/plan.js';
import { fipsProblems } from '../../src/runtime/verify.js';

const inputs = (overrides: Record<string, string>) => {
  const given = { ...actionDefaults(), ...overrides };
  return readInputs((name) => given[name] ?? '');
};

describe('the fips inputs', () => {
  it('default to no FIPS; fips: true takes the newest validated provider of the CMVP table (3.1.2, #4985)', async () => {
    expect((await inputs({})).build.fips).toBeUndefined();
    expect(newestValidatedProvider()).toBe('3.1.2');
    expect((await inputs({ fips: 'true' })).build.fips).toEqual({ providerVersion: '3.1.2', providerGiven: false });
    expect((await inputs({ fips: 'true', 'fips-provider-version': '3.5.7' })).build.fips).toEqual({
      providerVersion: '3.5.7',
      providerGiven: true,
    });
  });

  it.each([
    [{ fips: 'yes' }, /^fips: 'yes' is not allowed; use true, false \(default false\)\.$/],
    [{ 'fips-provider-version': '3.1.2' }, /^fips-provider-version: only with fips: true\.$/],
    [
      { fips: 'true', 'fips-provider-version': '3.1' },
      /^fips-provider-version: '3\.1' is not allowed; give an OpenSSL 3\.x release such as 3\.1\.2\.$/,
    ],
    [{ fips: 'true', 'fips-provider-version': '1.1.1w' }, /^fips-provider-version: '1\.1\.1w' is not allowed/],
    // A provider release without a checksum in the table is refused like any unverified source.
    [
      { fips: 'true', 'fips-provider-version': '3.1.9' },
      /^fips-provider-version: no checksum for OpenSSL 3\.1\.9 in the action's table of releases; give a release the table holds, such as 3\.1\.2\.$/,
    ],
  ])('refuses %j in one line', async (given, message) => {
    await expect(inputs(given)).rejects.toThrow(message);
  });

  it('refuses fips with python-path, where nothing is built', async () => {
    await expect(inputs({ 'python-path': '/usr/bin/python3', fips: 'true' })).rejects.toThrow(
      /^fips: ignored with python-path/,
    );
  });
});

describe('what a FIPS build cannot be', () => {
  it('is refused before any download: a provider newer than the library, a 1.1.1 library, CPython 3.14', () => {
    expect(fipsIncompatibility('3.13.15', '3.5.7', '3.1.2')).toBeUndefined();
    expect(fipsIncompatibility('3.13.15', '3.5.7', '3.5.7')).toBeUndefined();
    expect(fipsIncompatibility('3.13.15', '3.0.22', '3.1.2')).toMatch(/OpenSSL 3\.0\.22 is older/);
    expect(fipsIncompatibility('3.13.15', '1.1.1w', '3.1.2')).toMatch(/OpenSSL 3\.x library/);
    expect(fipsIncompatibility('3.14.10', '3.5.7', '3.1.2')).toMatch(/_hmac embeds the built-in HACL\* hashes/);
  });
});

const spec = (name: SourceSpec['name'], version: string, sha256: string): SourceSpec => ({
  name,
  version,
  url: `https://example.invalid/${name}-${version}.tar.gz`,
  sha256,
  checksumFrom: 'known-releases',
});

/** A plan's arguments for CPython 3.13.15 on OpenSSL 3.5.7 (the sources need not exist). */
const base = {
  floor: '1.2' as const,
  platform: { os: 'linux' as const, osRelease: 'debian-12', arch: 'x64' as const },
  jobs: 2,
  openssl: spec('openssl', '3.5.7', 'a'.repeat(64)),
  python: spec('python', '3.13.15', 'b'.repeat(64)),
  opensslDir: '/usr/lib/ssl',
};

describe('the FIPS build identity', () => {
  it('names the provider in both entries: a FIPS runtime is never found for a default request, nor one provider for another', () => {
    const plain = planBuild({ ...base, pythonOptions: pythonOptions('3.13.15', 'linux') });
    const fips = (version: string) =>
      planBuild({
        ...base,
        pythonOptions: pythonOptions('3.13.15', 'linux', false, 'none', true),
        fips: spec('openssl', version, 'c'.repeat(64)),
      });
    const [a, b] = [fips('3.1.2'), fips('3.5.7')];
    expect(a.openssl.options).toContain('enable-fips');
    expect(plain.openssl.options).not.toContain('enable-fips');
    expect(a.python.options).toContain('--without-builtin-hashlib-hashes');
    expect(a.openssl.entry.identity['fips']).toEqual({ provider: '3.1.2', sha256: 'c'.repeat(64) });
    expect(a.python.entry.identity['fips']).toEqual({ provider: '3.1.2', sha256: 'c'.repeat(64) });
    const variants = [plain, a, b].flatMap((p) => [p.openssl.entry.variant, p.python.entry.variant]);
    expect(new Set(variants).size).toBe(6);
  });
});

describe('an archive of a FIPS runtime', () => {
  const manifest = (fips?: string): ArchiveManifest => {
    const plan = planBuild({
      ...base,
      pythonOptions: pythonOptions('3.13.15', 'linux', false, 'none', Boolean(fips)),
      ...(fips ? { fips: spec('openssl', fips, 'c'.repeat(64)) } : {}),
    });
    return {
      format: ARCHIVE_FORMAT,
      createdAt: '',
      plan,
      toolCacheRoot: '/a',
      members: [],
    } as unknown as ArchiveManifest;
  };
  const want = (fips?: { providerVersion: string; providerGiven: boolean }) => ({
    floor: base.floor,
    platform: base.platform,
    jobs: 2,
    root: '/b',
    opensslDir: '/usr/lib/ssl',
    ...(fips ? { fips } : {}),
  });
  it('is the plan this action makes for it, FIPS provider included, wherever it is installed', () => {
    const plan = trustedPlan(manifest('3.5.7'), want({ providerVersion: '3.1.2', providerGiven: false }));
    expect(plan.openssl.fips?.provider.version).toBe('3.5.7');
    expect(plan.python.options).toContain('--without-builtin-hashlib-hashes');
  });
  it('is refused for fips: true without a FIPS provider, or with another provider than the one asked for', () => {
    expect(() => trustedPlan(manifest(), want({ providerVersion: '3.1.2', providerGiven: false }))).toThrow(
      /it holds a runtime without the FIPS provider, and fips is true/,
    );
    expect(() => trustedPlan(manifest('3.5.7'), want({ providerVersion: '3.1.2', providerGiven: true }))).toThrow(
      /it holds the FIPS provider of OpenSSL 3\.5\.7, not the requested 3\.1\.2/,
    );
  });
});

describe("the runtime's FIPS configuration", () => {
  it("names the module and fipsmodule.cnf by this install's absolute paths; fips=yes; groups a 3.1.2 provider serves", () => {
    const conf = fipsConfig('/t/tls-floor-openssl/3.5.7/x64-v');
    expect(conf).toContain('module = /t/tls-floor-openssl/3.5.7/x64-v/lib/ossl-modules/fips.so');
    expect(conf).toMatch(/\n\.include \/t\/tls-floor-openssl\/3\.5\.7\/x64-v\/ssl\/fipsmodule\.cnf\n$/);
    expect(conf).toContain('default_properties = fips=yes');
    expect(conf).toContain(`Groups = ${FIPS_GROUPS}`);
    expect(FIPS_GROUPS).not.toMatch(/MLKEM|X25519/i);
    expect(fipsPthLine('/t/o')).toBe('import os; os.environ.setdefault("OPENSSL_CONF", "/t/o/ssl/openssl-fips.cnf")\n');
  });

  it('reads the providers as openssl list -providers -verbose prints them', () => {
    const text = `Providers:
  base
    name: OpenSSL Base Provider
    version: 3.5.7
    status: active
    build info: 3.5.7
    gettable provider parameters:
      name: pointer to a UTF8 encoded string (arbitrary size)
  fips
    name: OpenSSL FIPS Provider
    version: 3.1.2
    status: active
    build info: 3.1.2
`;
    expect(parseProviders(text)).toEqual([
      { id: 'base', name: 'OpenSSL Base Provider', version: '3.5.7', status: 'active', buildInfo: '3.5.7' },
      { id: 'fips', name: 'OpenSSL FIPS Provider', version: '3.1.2', status: 'active', buildInfo: '3.1.2' },
    ]);
  });
});

function observed(): FipsObservation {
  return {
    process: {
      defaultPropertiesFips: true,
      opensslConf: null,
      md5: 'raises ValueError: unsupported',
      md5NotForSecurity: 'works',
      sha256: 'works',
      builtinHashes: [],
    },
    providers: [{ id: 'fips', name: 'OpenSSL FIPS Provider', version: '3.1.2', buildInfo: '3.1.2', status: 'active' }],
    install: { installedAt: '2026-12-01T16:00:00Z', said: 'INSTALL PASSED' },
  };
}

describe('the fips-140-3 module rules (pure)', () => {
  it('name the provider, its build and its self-tests; a certificate by number and source', () => {
    expect(judgeFipsActive(observed())).toEqual({
      status: 'pass',
      finding: expect.stringMatching(
        /^the FIPS provider 'OpenSSL FIPS Provider' 3\.1\.2 \(build 3\.1\.2, active\).*self-tests ran at fipsinstall on this runner \(2026-12-01T16:00:00Z: INSTALL PASSED\)/,
      ),
    });
    expect(judgeFipsValidated(observed()).finding).toBe(
      'the FIPS provider 3.1.2 holds CMVP certificate #4985 (FIPS 140-3, active; https://csrc.nist.gov/projects/cryptographic-module-validation-program/certificate/4985)',
    );
  });

  it('a 140-2 certificate, a submitted version and an unlisted one are not validated FIPS 140-3 versions', () => {
    const at = (version: string) => {
      const o = observed();
      o.providers = [{ id: 'fips', version, status: 'active' }];
      return judgeFipsValidated(o);
    };
    expect(certificateOf('3.0.9')?.certificate).toBe('4282');
    expect(at('3.0.9')).toMatchObject({
      status: 'violated',
      finding: expect.stringMatching(/#4282 \(FIPS 140-2, historical since 2026-09-22/),
    });
    expect(at('3.5.4')).toMatchObject({
      status: 'violated',
      finding: expect.stringMatching(/3\.5\.4 is not a validated version \(submitted to the CMVP in 2025/),
    });
    expect(at('3.5.7')).toEqual({ status: 'violated', finding: 'the FIPS provider 3.5.7 is not a validated version' });
  });

  it('a process out of FIPS mode, an inactive provider, no fipsinstall here: violated; no listing: untestable', () => {
    const cases: [(o: FipsObservation) => void, RegExp][] = [
      [(o) => (o.process!.md5 = 'works'), /hashlib\.md5\(\) works/],
      [(o) => (o.process!.defaultPropertiesFips = false), /not fips=yes/],
      [(o) => (o.process!.builtinHashes = ['_md5']), /built-in hashes _md5 import/],
      [(o) => (o.providers = [{ id: 'fips', status: 'inactive' }]), /is not active/],
      [(o) => (o.providers = [{ id: 'default', status: 'active' }]), /loads no FIPS provider/],
      [(o) => (o.install = null), /fipsinstall did not run on this runner/],
    ];
    for (const [change, finding] of cases) {
      const o = observed();
      change(o);
      expect(judgeFipsActive(o)).toMatchObject({ status: 'violated', finding: expect.stringMatching(finding) });
    }
    const unlisted = observed();
    delete unlisted.providers;
    expect(judgeFipsActive(unlisted).status).toBe('untestable');
    expect(judgeFipsActive(undefined).status).toBe('untestable');
  });
});

describe('the FIPS verification', () => {
  const install = {
    installedAt: '2026-12-01T16:00:00Z',
    said: 'INSTALL PASSED',
    opensslPrefix: '/t/o',
    config: '/t/o/c',
  };
  const providers = () => [...observed().providers!];
  it('lists every problem: md5 working, the wrong provider version, no fipsinstall', () => {
    const process = { ...observed().process!, md5: 'works' };
    expect(fipsProblems({ process, providers: providers(), install: null }, '3.5.7')).toEqual([
      'hashlib.md5() works: a non-FIPS hash is reachable for security use',
      'the FIPS provider is version 3.1.2, not 3.5.7',
      'fipsinstall has not run for this install',
    ]);
    expect(fipsProblems({ process: observed().process, providers: providers(), install }, '3.1.2')).toEqual([]);
  });
});
