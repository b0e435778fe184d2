import type { RunResult } from '../../shared/process.js';
import type { ServerSide } from '../handshake.js';
import type { RuntimeInfo } from './client.js';
import { completedOn, type Judged, type ProgramDescription, programClient } from './one_shot.js';
import { classifyTlsText, normalizeVersion, opensslReason, tail } from './tls_errors.js';

/**
 * curl, one run per handshake. `default`: curl's own defaults plus the run's CA. `strict`:
 * --tlsv1.0 (the lowest version curl can ask for) and ALL:@SECLEVEL=0, verification on.
 */
export const CurlClient = programClient(
  (binary): ProgramDescription => ({
    program: binary,
    versionArgs: ['--version'],
    what: 'a curl binary',
    runtime: (versionText) => curlRuntime(binary, versionText),
    lowestVersion: ['--tlsv1.0'],
    cipherOption: '--ciphers',
    // -q: no ~/.curlrc; --noproxy: a runner's proxy must not stand between curl and
    // the probe; --resolve: the certificate's name, reached on 127.0.0.1.
    args: (server, caFile, mode, limits) => [
      '-q',
      '--silent',
      '--show-error',
      '--verbose',
      '--output',
      '/dev/null',
      '--noproxy',
      '*',
      '--cacert',
      caFile,
      '--resolve',
      `localhost:${server.port}:127.0.0.1`,
      '--max-time',
      String(Math.ceil(limits.handshakeTimeoutMs / 1000)),
      ...mode,
      `https://localhost:${server.port}/`,
    ],
    judge: judgeCurl,
  }),
);

/** curl's exit code and its verbose stderr → the handshake's outcome. */
export function judgeCurl(run: RunResult, serverSaw: readonly ServerSide[]): Judged {
  const said = /SSL connection using (\S+) \/ (\S+)/.exec(run.stderr);
  const error = tail(
    run.stderr
      .split('\n')
      .filter((l) => !/^[*<>{}]/.test(l))
      .join('\n') || run.stderr,
  );
  // The handshake completed if curl says so, whatever failed after it (the HTTP exchange).
  if (said || (run.code === 0 && completedOn(serverSaw))) {
    const server = completedOn(serverSaw);
    const version = normalizeVersion(said?.[1]) ?? server?.version;
    const cipher = said?.[2] ?? server?.cipher;
    // What failed after it (a host name curl checks once the handshake is done) is kept beside.
    const after = run.code !== 0 ? { error: `exit ${run.code} after the handshake: ${error}` } : {};
    return { outcome: 'connected', ...(version ? { version } : {}), ...(cipher ? { cipher } : {}), ...after };
  }
  if (run.timedOut) return { outcome: 'timeout', error: 'curl was killed after the handshake timeout' };
  switch (run.code) {
    case 35: // SSL connect error: the message tells a refusal from the rest
      return { ...classifyTlsText(error), error };
    case 60:
    case 77:
    case 58:
    case 83:
    case 51:
      return { outcome: 'certificate', ...reasonOf(error), error };
    case 7:
    case 6:
    case 52:
    case 55:
    case 56:
      return { outcome: 'network', error };
    case 28:
      return { outcome: 'timeout', error };
    default:
      return { outcome: 'error', ...reasonOf(error), error: `exit ${run.code}: ${error}` };
  }
}

function reasonOf(text: string): { reason?: string } {
  const reason = opensslReason(text);
  return reason ? { reason } : {};
}

function curlRuntime(binary: string, versionText: string): RuntimeInfo {
  const first = versionText.split('\n')[0] ?? '';
  const version = /^curl (\S+)/.exec(first)?.[1] ?? 'unknown';
  const tlsLibrary =
    /\b((?:OpenSSL|LibreSSL|BoringSSL|quictls|AWS-LC|GnuTLS|NSS|wolfSSL|mbedTLS|Schannel|SecureTransport|rustls|BearSSL)\/\S+)/i.exec(
      first,
    )?.[1] ?? 'unknown';
  return {
    kind: 'curl',
    path: binary,
    version: `curl ${version}`,
    tlsLibrary,
    details: { versionLine: first, features: /^Features: (.*)$/m.exec(versionText)?.[1] ?? '' },
  };
}
