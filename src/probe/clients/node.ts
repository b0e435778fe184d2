import { readFileSync } from 'node:fs';
import { clip } from '../../shared/errors.js';
import { NODE_LIBRARIES, type NodeLibrary } from '../../shared/libraries.js';
import { clientMode } from '../client_kinds.js';
import { ClientStartError } from './client.js';
import { ScriptClient } from './script_client.js';

// ncc copies the scripts into dist/ and rewrites these URLs; in src/ they sit beside this file.
const SCRIPT_URL = new URL('./node_probe.cjs', import.meta.url);
const LIBRARIES_URL = new URL('./node_libraries.cjs', import.meta.url);

/** What the Node.js client probes beside its built-in `default` and `strict`. */
export interface NodeProbeOptions {
  /** The library clients to run (default: none, the built-in clients only). */
  libraries?: readonly NodeLibrary[];
  /** Where `aws-sdk` resolves @aws-sdk/client-s3 from (its node_modules): the workspace. */
  workspace?: string;
}

/** What node_probe.cjs says of the binary (its report's `runtime`). */
type NodeRuntime = Record<string, unknown> & { node: string; openssl: string; execPath: string };

/**
 * Probes a node binary with two clients, in one process: `default` (tls.connect with the
 * run's CA: what https.get gets) and `strict` (minVersion TLSv1, every cipher at
 * @SECLEVEL=0, verification on: what the binary can be asked for); with a client per HTTP
 * library asked for (https, fetch, aws-sdk: each its own default path, node_libraries.cjs),
 * which decides beside `default` where it ran.
 */
export class NodeClient extends ScriptClient<NodeRuntime> {
  constructor(binary: string, options: NodeProbeOptions = {}) {
    const libraries = options.libraries ?? [];
    super({
      name: 'the Node.js client',
      program: binary,
      args: (script) => ['-e', script],
      env: {
        ...process.env,
        TLS_FLOOR_NODE_PROBE: JSON.stringify({ libraries, workspace: options.workspace ?? process.cwd() }),
      },
      script: () => `${readFileSync(LIBRARIES_URL, 'utf8')}\n${readFileSync(SCRIPT_URL, 'utf8')}`,
      clientCount: 2 + libraries.length,
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
      role: (name) =>
        (NODE_LIBRARIES as readonly string[]).includes(name)
          ? { mode: 'default', optional: true }
          : { mode: clientMode('node', name) },
    });
  }
}
