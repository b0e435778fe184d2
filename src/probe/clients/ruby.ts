import { readFileSync } from 'node:fs';
import { clientMode } from '../client_kinds.js';
import { ClientStartError } from './client.js';
import { ScriptClient } from './script_client.js';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./ruby_probe.rb', import.meta.url);

/** What ruby_probe.rb says of the interpreter (its report's `runtime`). */
type RubyRuntime = Record<string, unknown> & { ruby: string; openssl: string; opensslConf: string };

/**
 * Probes a ruby with Net::HTTP, in one process (-e script, job on stdin): `default` (its
 * defaults, the run's CA as SSL_CERT_FILE) and `strict` (min_version TLS1, every cipher at
 * @SECLEVEL=0). Its floor is the openssl gem's defaults over the OpenSSL library and the
 * openssl.cnf in force.
 */
export class RubyClient extends ScriptClient<RubyRuntime> {
  constructor(ruby: string) {
    super({
      name: 'the Ruby client',
      program: ruby,
      args: (script) => ['-e', script],
      script: () => readFileSync(SCRIPT_URL, 'utf8'),
      clientCount: 2,
      what: 'ruby (with its json, net/http and openssl libraries)',
      advice: 'give the path to a ruby.',
      fatal: (kind, detail) => new ClientStartError(`${ruby} cannot run the probe (${kind}: ${detail})`),
      runtime: ({ ruby: version, openssl, opensslConf, ...details }) => ({
        kind: 'ruby',
        path: ruby,
        version: `Ruby ${version}`,
        tlsLibrary: openssl,
        details: {
          ...details,
          opensslConf,
          floorSetting: `${openssl} with ${opensslConf} (MinProtocol, CipherString) under the openssl gem's defaults`,
        },
      }),
      role: (name) => ({ mode: clientMode('ruby', name) }),
    });
  }
}
