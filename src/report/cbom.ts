import { createHash } from 'node:crypto';
import { CIPHER_SUITES } from '../shared/tls/registry.js';
import type { Report } from './report.js';

/**
 * A CycloneDX 1.6 cryptographic bill of materials (CBOM) of what a run observed: the runtime and
 * each of its clients as components, the TLS versions each offered as protocol assets (with every
 * cipher suite it offered at that version, and what it negotiated with each server), the run's
 * certificates as certificate assets. It answers PCI DSS 4.0.1 12.3.3 (an inventory of the cipher
 * suites and protocols in use) from observed handshakes, not from declared packages.
 * Written by hand, not with @cyclonedx/cyclonedx-library: that library (10.x) has no model of
 * cryptoProperties; test/report/cbom.test.ts validates the output against the CycloneDX 1.6
 * JSON schema instead.
 */
export interface Cbom {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: Record<string, unknown>;
  components: Component[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

interface Component {
  type: 'application' | 'platform' | 'cryptographic-asset';
  'bom-ref': string;
  name: string;
  version?: string;
  description?: string;
  cryptoProperties?: Record<string, unknown>;
  properties?: { name: string; value: string }[];
}

/** A job of the matrix (or the one run): a label that keeps its bom-refs apart, and its report. */
export interface CbomJob {
  label: string;
  report: Report;
}

const CODE = new Map(CIPHER_SUITES.map(([code, name]) => [name, code]));
const hex = (code: number) =>
  `0x${(code >> 8).toString(16).toUpperCase().padStart(2, '0')},0x${(code & 0xff).toString(16).toUpperCase().padStart(2, '0')}`;
const TLS13_SUITE = /^TLS_(AES|CHACHA20|SHA)\w*_(SHA256|SHA384)$/;
/** 'TLSv1.2' -> '1.2', 'TLSv1' -> '1.0'. */
const protocolVersion = (v: string) => (v === 'TLSv1' ? '1.0' : v.replace(/^TLSv/, ''));
const ref = (...parts: string[]) => parts.map((p) => p.replace(/[^\w.:-]/g, '_')).join(':');

/** A suite as CycloneDX names it: its IANA name and its two-byte identifier. */
const suiteOf = (name: string) => {
  const code = CODE.get(name);
  return { name, ...(code !== undefined ? { identifiers: [hex(code)] } : {}) };
};

/** The strings of a list a report holds (a merged matrix's reports are foreign: any other value is none). */
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];

/** What a client offered, as its report's ClientHello facts say (tolerant of a report written by another version). */
function offered(job: CbomJob, client: string): { versions: string[]; suites: string[] } {
  const hellos: unknown = job.report.clientHelloFacts?.[client];
  const facts = (Array.isArray(hellos) ? hellos : []).map(
    (h) => (h as { facts?: Record<string, unknown> })?.facts ?? {},
  );
  return { versions: facts.flatMap((f) => strings(f['versions'])), suites: facts.flatMap((f) => strings(f['suites'])) };
}

/** The protocol assets of one client: one per version it offered, with the suites that version can use. */
function protocolsOf(job: CbomJob, client: string, prefix: string): Component[] {
  const facts = offered(job, client);
  const versions = [...new Set(facts.versions)].filter((v) => /^TLSv1(\.[0-3])?$/.test(v)).sort();
  const suites = [...new Set(facts.suites)].filter((s) => !/_SCSV$/.test(s));
  const negotiated = job.report.handshakes.filter((h) => h.client === client && h.outcome === 'connected');
  return versions.map((version) => {
    const forVersion = suites.filter((s) => (version === 'TLSv1.3' ? TLS13_SUITE.test(s) : !TLS13_SUITE.test(s)));
    const made = negotiated.filter((h) => h.version === version);
    return {
      type: 'cryptographic-asset',
      'bom-ref': ref(prefix, 'protocol', client, version),
      name: `TLS ${protocolVersion(version)}`,
      cryptoProperties: {
        assetType: 'protocol',
        protocolProperties: { type: 'tls', version: protocolVersion(version), cipherSuites: forVersion.map(suiteOf) },
      },
      properties: [
        { name: 'tls-floor:offered-by', value: client },
        ...made.map((h) => ({ name: 'tls-floor:negotiated', value: `${h.server}: ${h.cipher ?? 'unknown suite'}` })),
      ],
    };
  });
}

function certificatesOf(job: CbomJob, prefix: string): Component[] {
  return (job.report.certificates ?? []).map((c) => ({
    type: 'cryptographic-asset',
    'bom-ref': ref(prefix, 'certificate', c.role, c.sha256.slice(0, 16)),
    name: `${c.role} certificate (${c.subject})`,
    cryptoProperties: {
      assetType: 'certificate',
      certificateProperties: {
        subjectName: c.subject,
        issuerName: c.issuer,
        notValidBefore: new Date(c.notBefore).toISOString(),
        notValidAfter: new Date(c.notAfter).toISOString(),
        certificateFormat: 'X.509',
      },
    },
    properties: [
      { name: 'tls-floor:key', value: c.key },
      { name: 'tls-floor:sha256', value: c.sha256 },
    ],
  }));
}

/** The components and dependencies of one job, its bom-refs prefixed with its label where there are several. */
function jobPart(job: CbomJob, prefix: string): Pick<Cbom, 'components' | 'dependencies'> {
  const { runtime, clients } = job.report;
  const runtimeRef = ref(prefix, 'runtime');
  const ran = clients.filter((c) => c.ran);
  const components: Component[] = [
    {
      type: 'platform',
      'bom-ref': runtimeRef,
      name: runtime.kind,
      version: runtime.version,
      description: `the runtime under test, on ${runtime.tlsLibrary}`,
      properties: [
        { name: 'tls-floor:tls-library', value: runtime.tlsLibrary },
        { name: 'tls-floor:job', value: job.label },
        { name: 'tls-floor:floor', value: `TLS ${job.report.floor}` },
        { name: 'tls-floor:verdict', value: job.report.verdict },
      ],
    },
  ];
  const dependencies: Cbom['dependencies'] = [];
  for (const client of ran) {
    const clientRef = ref(prefix, 'client', client.name);
    const protocols = protocolsOf(job, client.name, prefix);
    components.push(
      {
        type: 'application',
        'bom-ref': clientRef,
        name: client.name,
        description: `a TLS client of the runtime${client.mode ? ` (probe mode ${client.mode})` : ''}`,
        properties: Object.entries(client.settings)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, value]) => ({ name: `tls-floor:setting:${name}`, value: String(value) })),
      },
      ...protocols,
    );
    dependencies.push({ ref: clientRef, dependsOn: protocols.map((p) => p['bom-ref']) });
  }
  components.push(...certificatesOf(job, prefix));
  dependencies.push({ ref: runtimeRef, dependsOn: ran.map((c) => ref(prefix, 'client', c.name)) });
  return { components, dependencies };
}

/** The CBOM of one run, or of a matrix (one CBOM, the components of each job under its label). */
export function cbomOf(jobs: CbomJob[], toolVersion: string, now: Date = new Date()): Cbom {
  const parts = jobs.map((job, i) => jobPart(job, jobs.length === 1 ? 'run' : `job${i + 1}`));
  const seed = jobs.map((j) => `${j.label}\n${j.report.createdAt}`).join('\n');
  const digest = createHash('sha256').update(seed).digest('hex');
  // A UUID (version 5 layout) derived from the reports: the same reports, the same serial number.
  const uuid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-${((Number.parseInt(digest[16]!, 16) & 3) | 8).toString(16)}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuid}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: 'tls-floor', version: toolVersion }] },
      properties: jobs.map((j) => ({ name: 'tls-floor:job', value: j.label })),
    },
    components: parts.flatMap((p) => p.components),
    dependencies: parts.flatMap((p) => p.dependencies),
  };
}
