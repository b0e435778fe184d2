import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromReported } from '../../src/probe/clients/script_client.js';
import { ROOT } from '../fixtures/action.js';
import { systemPython } from '../fixtures/interpreters.js';

// The Python client's classification (python_probe.py), run in a real interpreter on the
// exceptions its handshakes raise, then judged as the action judges every client's report
// (fromReported). Only a policy refusal may count as 'refused'.
const SCRIPT = path.join(ROOT, 'src', 'probe', 'clients', 'python_probe.py');

const HARNESS = `
import importlib.util, json, socket, ssl, sys
spec = importlib.util.spec_from_file_location("python_probe", sys.argv[1])
probe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(probe)
def ssl_error(cls, text):
    return cls(1, text)
cases = {
    "stale name, OpenSSL text": ssl_error(ssl.SSLError, "[SSL: BAD_MAC_LENGTH] legacy sigalg disallowed or unsupported (_ssl.c:852)"),
    "protocol_version alert": ssl_error(ssl.SSLError, "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:1006)"),
    "no protocols": ssl_error(ssl.SSLError, "[SSL: NO_PROTOCOLS_AVAILABLE] no protocols available (_ssl.c:1006)"),
    "internal_error alert": ssl_error(ssl.SSLError, "[SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error (_ssl.c:1006)"),
    "bad record mac": ssl_error(ssl.SSLError, "[SSL: DECRYPTION_FAILED_OR_BAD_RECORD_MAC] decryption failed or bad record mac (_ssl.c:2580)"),
    "certificate": ssl_error(ssl.SSLCertVerificationError, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)"),
    "eof": ssl_error(ssl.SSLEOFError, "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:1006)"),
    "connection refused": ConnectionRefusedError(111, "Connection refused"),
    "timeout": socket.timeout("timed out"),
    "not a network error": ValueError("boom"),
}
print(json.dumps({k: list(probe.classify(v)) for k, v in cases.items()}))
`;

describe('the Python client classifies what its handshakes raise', () => {
  const raw = JSON.parse(execFileSync(systemPython(), ['-c', HARNESS, SCRIPT], { encoding: 'utf8' })) as Record<
    string,
    ['tls' | 'network' | 'timeout' | 'certificate' | 'error', string | null]
  >;
  const seen = Object.fromEntries(
    Object.entries(raw).map(([name, [outcome, reason]]) => [
      name,
      [fromReported({ server: 'TLSv1', client: 'default', outcome, reason }).outcome, reason],
    ]),
  );

  it('counts only a policy refusal as refused, named by the OpenSSL text (not a stale name table)', () => {
    expect(seen['stale name, OpenSSL text']).toEqual(['refused', 'LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED']);
    expect(seen['protocol_version alert']).toEqual(['refused', 'TLSV1_ALERT_PROTOCOL_VERSION']);
    expect(seen['no protocols']).toEqual(['refused', 'NO_PROTOCOLS_AVAILABLE']);
  });

  it('treats any other TLS error as no evidence', () => {
    expect(seen['internal_error alert']).toEqual(['error', 'TLSV1_ALERT_INTERNAL_ERROR']);
    expect(seen['bad record mac']).toEqual(['error', 'DECRYPTION_FAILED_OR_BAD_RECORD_MAC']);
    expect(seen['certificate']?.[0]).toBe('certificate');
    expect(seen['eof']?.[0]).toBe('network');
    expect(seen['connection refused']).toEqual(['network', null]);
    expect(seen['timeout']).toEqual(['timeout', null]);
    expect(seen['not a network error']).toEqual(['error', null]);
  });
});
