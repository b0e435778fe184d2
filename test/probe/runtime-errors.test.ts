import { describe, expect, it } from 'vitest';
import { classifyTlsText } from '../../src/probe/clients/tls_errors.js';

// The error texts the java, go, ruby and php probe programs reported on this machine (OpenJDK
// 17.0.21, Go 1.19.8, Ruby 3.1.2, PHP 8.2.36), judged by the one list every client shares.
describe("the runtimes' own error texts", () => {
  it.each([
    [
      'java, a protocol_version alert',
      'SSLHandshakeException: (protocol_version) Received fatal alert: protocol_version',
      'refused',
    ],
    [
      'java, no shared suite',
      'SSLHandshakeException: (handshake_failure) Received fatal alert: handshake_failure',
      'refused',
    ],
    [
      'java, an unknown CA',
      'SSLHandshakeException: (certificate_unknown) PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
      'certificate',
    ],
    [
      'go, a protocol_version alert',
      'Get "https://localhost:34155/": remote error: tls: protocol version not supported',
      'refused',
    ],
    ['go, an unknown CA', 'Get "https://localhost:1/": x509: certificate signed by unknown authority', 'certificate'],
    [
      'ruby, the SHA-1 signature refused',
      'OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:35789 state=error: legacy sigalg disallowed or unsupported',
      'refused',
    ],
    [
      'php curl, the SHA-1 signature refused',
      'curl error 35: OpenSSL/3.0.19: error:0A00014D:SSL routines::legacy sigalg disallowed or unsupported',
      'refused',
    ],
    [
      'go, a reset',
      'Get "https://localhost:1/": read tcp 127.0.0.1:2->127.0.0.1:1: read: connection reset by peer',
      'network',
    ],
  ])('%s', (_name, text, outcome) => {
    expect(classifyTlsText(text).outcome).toBe(outcome);
  });
});
