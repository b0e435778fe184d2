import type { RunResult } from '../../shared/process.js';
import type { ServerSide } from '../handshake.js';
import { completedOn, type Judged, type ProgramDescription, programClient } from './one_shot.js';
import { classifyTlsText, normalizeVersion, tail } from './tls_errors.js';

/**
 * `openssl s_client`, one run per handshake. `default`: the library's defaults and its
 * openssl.cnf (which may set MinProtocol and CipherString), plus the run's CA. `strict`:
 * `-min_protocol TLSv1 -cipher ALL:@SECLEVEL=0`: command-line settings are applied after
 * the config file, so they lift a configured floor just as an application could.
 * Verification is on in both (-verify_return_error: s_client otherwise goes on after a
 * failed verification).
 */
export const OpensslClient = programClient(
  (binary): ProgramDescription => ({
    program: binary,
    versionArgs: ['version', '-a'],
    what: 'an openssl binary',
    runtime: (text) => {
      const first = text.split('\n')[0] ?? 'unknown';
      return {
        kind: 'openssl',
        path: binary,
        version: first.replace(/\s*\(Library:.*\)$/, ''),
        tlsLibrary: /\(Library: (.*)\)$/.exec(first)?.[1] ?? first,
        details: {
          versionLine: first,
          openssldir: /^OPENSSLDIR: "?([^"\n]*)"?/m.exec(text)?.[1] ?? 'unknown',
          OPENSSL_CONF: process.env['OPENSSL_CONF'] ?? 'not set',
        },
      };
    },
    lowestVersion: ['-min_protocol', 'TLSv1'],
    cipherOption: '-cipher',
    // -brief: one parsable summary; -no_ign_eof: quit at the end of (empty) stdin.
    args: (server, caFile, mode) => [
      's_client',
      '-brief',
      '-no_ign_eof',
      '-connect',
      `127.0.0.1:${server.port}`,
      '-servername',
      'localhost',
      '-verify_hostname',
      'localhost',
      '-verify_return_error',
      '-CAfile',
      caFile,
      ...mode,
    ],
    judge: judgeSClient,
  }),
);

/** s_client's exit code and its -brief output → the handshake's outcome. */
export function judgeSClient(run: RunResult, serverSaw: readonly ServerSide[]): Judged {
  const out = `${run.stdout}\n${run.stderr}`;
  if (/^CONNECTION ESTABLISHED$/m.test(out)) {
    const server = completedOn(serverSaw);
    const version = normalizeVersion(/^Protocol version: (\S+)/m.exec(out)?.[1]) ?? server?.version;
    const cipher = /^Ciphersuite: (\S+)/m.exec(out)?.[1] ?? server?.cipher;
    return { outcome: 'connected', ...(version ? { version } : {}), ...(cipher ? { cipher } : {}) };
  }
  if (run.timedOut) return { outcome: 'timeout', error: 's_client was killed after the handshake timeout' };
  const error = tail(run.stderr || run.stdout);
  if (/connect:errno=|Connection refused/i.test(out)) return { outcome: 'network', error };
  return { ...classifyTlsText(out), error };
}
