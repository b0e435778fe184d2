import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { isResourceLimit, startProcess } from '../../process/run.js';
import { fromReported, type ReportedHandshake } from '../handshake.js';
import type { ClientLimits, ClientRun, ProbeClient, StartedClient } from './client.js';
import { tail } from './tls_errors.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./node_probe.cjs', import.meta.url);

interface NodeReport {
  runtime: Record<string, unknown> & { node: string; openssl: string; execPath: string };
  clients: Record<string, Record<string, string>>;
  handshakes: ReportedHandshake[];
}

/**
 * Probes a node binary with two clients, in one process: `default` (tls.connect with the
 * run's CA: what https.get gets) and `strict` (minVersion TLSv1, ALL:@SECLEVEL=0,
 * verification on: what the binary can be asked for).
 */
export class NodeClient implements ProbeClient {
  constructor(private readonly binary: string) {}

  start(limits: ClientLimits): StartedClient {
    const timeoutMs = 2 * limits.serverCount * limits.handshakeTimeoutMs + 10_000;
    // The binary starts now (its start-up overlaps the certificates) and waits for its job.
    const child = startProcess(this.binary, ['-e', readFileSync(SCRIPT_URL, 'utf8')], { timeoutMs, signal: limits.signal });
    child.done.catch(() => undefined);
    return {
      run: async (job): Promise<ClientRun> => {
        child.send(
          JSON.stringify({ caFile: job.caFile, timeoutMs: limits.handshakeTimeoutMs, targets: job.servers.map((s) => ({ id: s.id, port: s.port })) }),
        );
        const result = await child.done.catch((error: NodeJS.ErrnoException) => {
          if (isResourceLimit(error)) throw error;
          throw new InputError(`client-path: cannot run ${this.binary} (${error.code ?? error.message}); give the path to a node binary.`);
        });
        if (result.timedOut) throw new Error(`the Node.js client did not finish within ${timeoutMs} ms and was killed`);
        let report: NodeReport;
        try {
          report = JSON.parse(result.stdout) as NodeReport;
        } catch {
          throw new InputError(`client-path: ${this.binary} is not a usable node binary (exit ${result.code}: ${tail(result.stderr || result.stdout, 1)}).`);
        }
        const { node, openssl, ...details } = report.runtime;
        return {
          runtime: { kind: 'node', path: this.binary, version: `Node.js ${node}`, tlsLibrary: `OpenSSL ${openssl}`, details },
          clients: Object.entries(report.clients).map(([name, settings]) => ({ name, settings, ran: true, mode: name as 'default' | 'strict' })),
          handshakes: report.handshakes.map(fromReported),
        };
      },
    };
  }
}
