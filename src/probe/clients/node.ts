import { readFileSync } from 'node:fs';
import { clip } from '../../shared/errors.js';
import { ClientStartError } from './client.js';
import { ScriptClient } from './script_client.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./node_probe.cjs', import.meta.url);

/** What node_probe.cjs says of the binary (its report's `runtime`). */
type NodeRuntime = Record<string, unknown> & { node: string; openssl: string; execPath: string };

/**
 * Probes a node binary with two clients, in one process: `default` (tls.connect with the
 * run's CA: what https.get gets) and `strict` (minVersion TLSv1, every cipher at
 * @SECLEVEL=0, verification on: what the binary can be asked for).
 */
export class NodeClient extends ScriptClient<NodeRuntime> {
  constructor(binary: string) {
    super({
      name: 'the Node.js client',
      program: binary,
      args: (script) => ['-e', script],
      script: () => readFileSync(SCRIPT_URL, 'utf8'),
      clientCount: 2,
      what: 'node binary',
      advice: 'give the path to a node binary.',
      // The script has no fatal report.
      fatal: (kind, detail) =>
        new ClientStartError(`${binary} cannot run the probe (${clip(kind, 40)}: ${clip(detail, 200)})`),
      runtime: ({ node, openssl, ...details }) => ({
        kind: 'node',
        path: binary,
        version: `Node.js ${node}`,
        tlsLibrary: `OpenSSL ${openssl}`,
        details,
      }),
      role: (name) => ({ mode: name as 'default' | 'strict' }),
    });
  }
}
