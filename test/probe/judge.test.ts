import { describe, expect, it } from 'vitest';
import { judgeCommand } from '../../src/probe/clients/command.js';
import { judgeCurl } from '../../src/probe/clients/curl.js';
import { judgeSClient } from '../../src/probe/clients/openssl.js';
import { classifyTlsText, normalizeVersion } from '../../src/probe/clients/tls_errors.js';
import type { RunResult } from '../../src/shared/process.js';

// A connection the server logged: its port and the bytes that came before the outcome.
const side = { port: 40000, bytesIn: 300, hello: true };
const run = (code: number | null, stderr = '', extra: Partial<RunResult> = {}): RunResult => ({
  code,
  signal: null,
  stdout: '',
  stderr,
  timedOut: false,
  ...extra,
});

describe('curl exit codes and messages (curl 7.88 wording)', () => {
  it.each<[string, RunResult, object]>([
    [
      '35 protocol_version alert',
      run(35, 'curl: (35) error:0A00042E:SSL routines::tlsv1 alert protocol version'),
      { outcome: 'refused', reason: 'TLSV1_ALERT_PROTOCOL_VERSION' },
    ],
    [
      '35 no protocols available',
      run(35, 'curl: (35) error:0A0000BF:SSL routines::no protocols available'),
      { outcome: 'refused', reason: 'NO_PROTOCOLS_AVAILABLE' },
    ],
    [
      '35 unexpected eof (the peer went away)',
      run(35, 'curl: (35) error:0A000126:SSL routines::unexpected eof while reading'),
      { outcome: 'network' },
    ],
    [
      '35 something else',
      run(35, 'curl: (35) error:0A000119:SSL routines::decryption failed or bad record mac'),
      { outcome: 'error' },
    ],
    [
      '60 certificate',
      run(60, 'curl: (60) SSL certificate problem: unable to get local issuer certificate'),
      { outcome: 'certificate' },
    ],
    ['77 CA file', run(77, 'curl: (77) error setting certificate file: /nope'), { outcome: 'certificate' }],
    [
      '7 connection refused',
      run(7, 'curl: (7) Failed to connect to localhost port 1: Connection refused'),
      { outcome: 'network' },
    ],
    ['28 timeout', run(28, 'curl: (28) Operation timed out'), { outcome: 'timeout' }],
    ['killed', run(null, '', { timedOut: true, signal: 'SIGKILL' }), { outcome: 'timeout' }],
    [
      '56 after a completed handshake',
      run(56, '* SSL connection using TLSv1 / AES256-SHA\ncurl: (56) Recv failure: Connection reset by peer'),
      { outcome: 'connected', version: 'TLSv1', cipher: 'AES256-SHA' },
    ],
  ])('%s', (_name, result, expected) => {
    expect(judgeCurl(result, [])).toMatchObject(expected);
  });
});

describe('s_client output', () => {
  // OpenSSL 4.0.2's s_client -brief (its own build, the action's hardened options), recorded on
  // 2026-12-01: the same summary lines as 3.x, so nothing in the parser changed for 4.0.
  it("OpenSSL 4.0.2: a completed handshake's -brief summary, and a protocol_version alert", () => {
    const brief = [
      'CONNECTION ESTABLISHED',
      'Protocol version: TLSv1.3',
      'Ciphersuite: TLS_AES_256_GCM_SHA384',
      'Peer certificate: CN=localhost',
      'Hash used: SHA256',
      'Signature type: ecdsa_secp256r1_sha256',
      'Verification: OK',
      'Verified peername: localhost',
      'Peer Temp Key: X25519, 253 bits',
      'DONE',
    ].join('\n');
    // Version and cipher from s_client's own lines, not from the server's record (none given).
    expect(judgeSClient(run(0, 'Connecting to 127.0.0.1', { stdout: brief }), [])).toEqual({
      outcome: 'connected',
      version: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
    });
    expect(
      judgeSClient(
        run(
          1,
          'Connecting to 127.0.0.1\n40078213B97F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:923:SSL alert number 70',
        ),
        [],
      ),
    ).toMatchObject({ outcome: 'refused', reason: 'TLSV1_ALERT_PROTOCOL_VERSION' });
  });

  it('a refused connect is network, a verify failure certificate', () => {
    expect(
      judgeSClient(run(1, '40E7:error:8000006F:system library:BIO_connect:Connection refused\nconnect:errno=111'), []),
    ).toMatchObject({ outcome: 'network' });
    expect(
      judgeSClient(
        run(
          1,
          'verify error:num=20:unable to get local issuer certificate\n40:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:x.c:1:',
        ),
        [],
      ),
    ).toMatchObject({ outcome: 'certificate', reason: 'CERTIFICATE_VERIFY_FAILED' });
  });
});

describe('a command: exit code plus what the server saw', () => {
  it.each<[string, RunResult, Parameters<typeof judgeCommand>[1], object]>([
    [
      'exit 0, server completed',
      run(0),
      [{ ...side, completed: true, version: 'TLSv1.3', cipher: 'X' }],
      { outcome: 'connected', version: 'TLSv1.3' },
    ],
    [
      'exit 7, server saw an unknown_ca alert',
      run(7, 'boom'),
      [{ ...side, completed: false, code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' }],
      { outcome: 'certificate', reason: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' },
    ],
    [
      'exit 1, server saw a protocol_version alert',
      run(1),
      [{ ...side, completed: false, code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }],
      { outcome: 'refused' },
    ],
    [
      'exit 1, server refused the version itself',
      run(1),
      [{ ...side, completed: false, code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' }],
      { outcome: 'refused' },
    ],
    [
      'exit 1, server saw a hang-up',
      run(1),
      [{ ...side, completed: false, code: 'ECONNRESET' }],
      { outcome: 'network' },
    ],
    [
      'exit 1, server saw plain HTTP',
      run(1),
      [{ ...side, completed: false, code: 'ERR_SSL_HTTP_REQUEST' }],
      { outcome: 'error' },
    ],
    ['killed, server saw nothing', run(null, '', { timedOut: true, signal: 'SIGKILL' }), [], { outcome: 'timeout' }],
  ])('%s', (_name, result, seen, expected) => {
    expect(judgeCommand(result, seen)).toMatchObject(expected);
  });
});

describe('tls_errors', () => {
  it('normalizes version spellings', () => {
    expect(['TLSv1', 'TLSv1.0', 'TLS1.2', 'TLSv1.3', 'SSLv3'].map(normalizeVersion)).toEqual([
      'TLSv1',
      'TLSv1',
      'TLSv1.2',
      'TLSv1.3',
      'SSLv3',
    ]);
  });
  it('treats a Node.js code like the text', () => {
    expect(classifyTlsText('ERR_SSL_NO_SHARED_CIPHER').outcome).toBe('refused');
    expect(classifyTlsText('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE').outcome).toBe('certificate');
  });
});
