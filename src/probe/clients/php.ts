import { readFileSync } from 'node:fs';
import { clientMode } from '../client_kinds.js';
import { ClientStartError } from './client.js';
import { ScriptClient } from './script_client.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./php_probe.php', import.meta.url);

/** What php_probe.php says of the interpreter (its report's `runtime`). */
type PhpRuntime = Record<string, unknown> & { php: string; openssl: string; curl: string; opensslConf: string };

/**
 * Probes a php, in one process (-r script, job on stdin), with the curl extension where it is
 * loaded, else file_get_contents over https://: `default` (its defaults, the run's CA as a
 * context option) and `strict` (TLS 1.0 and every cipher at @SECLEVEL=0). Its floor is the
 * OpenSSL library's, with the openssl.cnf in force.
 */
export class PhpClient extends ScriptClient<PhpRuntime> {
  constructor(php: string) {
    super({
      name: 'the PHP client',
      program: php,
      // php_probe.php has no opening tag: -r takes PHP code as it is.
      args: (script) => ['-r', script],
      script: () => readFileSync(SCRIPT_URL, 'utf8'),
      clientCount: 2,
      what: 'php (with its json extension)',
      advice: 'give the path to a php command-line binary.',
      fatal: (kind, detail) => new ClientStartError(`${php} cannot run the probe (${kind}: ${detail})`),
      runtime: ({ php: version, openssl, curl, opensslConf, ...details }) => ({
        kind: 'php',
        path: php,
        version: `PHP ${version}`,
        tlsLibrary: curl !== 'not loaded' ? `curl ${curl}` : openssl,
        details: {
          ...details,
          openssl,
          curl,
          opensslConf,
          floorSetting: `${curl !== 'not loaded' ? `libcurl ${curl}` : openssl} with ${opensslConf} (MinProtocol, CipherString)`,
        },
      }),
      role: (name) => ({ mode: clientMode('php', name) }),
    });
  }
}
