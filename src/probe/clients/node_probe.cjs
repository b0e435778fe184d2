// tls-floor's Node.js client. It runs inside the node binary under test (given with -e), so
// it keeps to syntax old releases parse: var, function, no optional chaining.
// Reads a job (JSON) on stdin, writes one JSON document on stdout.
'use strict';
var tls = require('tls');

var STRICT_CIPHERS = 'ALL:@SECLEVEL=0';
var CERTIFICATE_CODES = /CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED|ALTNAME|UNKNOWN_CA/;
var NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH|ERR_SSL_UNEXPECTED_EOF_WHILE_READING)$/;
// Only a policy decision of the TLS stack is a refusal: version, cipher, signature algorithm.
var REFUSAL_CODES = /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION_NUMBER|VERSION_TOO_LOW|NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE|NO_CIPHER_MATCH|NO_SUITABLE_SIGNATURE|SIGALG|SIGNATURE_ALGORITHM|INSUFFICIENT_SECURITY|INAPPROPRIATE_FALLBACK|HANDSHAKE_FAILURE|DH_KEY_TOO_SMALL|EE_KEY_TOO_SMALL|CA_MD_TOO_WEAK/;

function lowestVersion() {
  // tls.connect's minVersion exists since Node.js 11.4; TLSv1 is the lowest it knows.
  return 'TLSv1';
}

function options(mode, ca) {
  if (mode === 'default') return { settings: { ciphers: 'library default' }, tls: { ca: ca } };
  return {
    settings: { minimumVersion: lowestVersion(), ciphers: STRICT_CIPHERS },
    tls: { ca: ca, minVersion: lowestVersion(), ciphers: STRICT_CIPHERS },
  };
}

function classify(error) {
  var code = String(error.code || '');
  if (CERTIFICATE_CODES.test(code)) return 'certificate';
  if (NETWORK_CODES.test(code)) return 'network';
  if (code.indexOf('ERR_SSL_') === 0 && REFUSAL_CODES.test(code)) return 'refused';
  return 'error';
}

var REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

function handshake(tlsOptions, port, timeoutMs) {
  return new Promise(function (resolve) {
    var done = false;
    var socket;
    // This end of the connection: the port the server's record of it carries.
    var ports = [];
    var result;
    function finish(outcome) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (socket) socket.destroy();
      outcome.ports = ports;
      resolve(outcome);
    }
    var timer = setTimeout(function () {
      // A completed handshake whose answer did not come stays completed.
      finish(result || { outcome: 'timeout', error: 'no handshake within ' + timeoutMs + ' ms' });
    }, timeoutMs);
    try {
      socket = tls.connect(Object.assign({ host: '127.0.0.1', port: port, servername: 'localhost' }, tlsOptions));
    } catch (error) {
      // A setting the binary rejects (an unknown minVersion, a bad cipher string).
      finish({ outcome: 'error', reason: error.code || null, error: String(error.message).split('\n')[0] });
      return;
    }
    socket.once('connect', function () {
      if (socket.localPort) ports = [socket.localPort];
    });
    socket.once('secureConnect', function () {
      var cipher = socket.getCipher();
      result = { outcome: 'connected', version: socket.getProtocol(), cipher: cipher ? cipher.name : null };
      // Ask for the server's answer and read it to the end: the server has then finished its
      // side of the handshake too (destroy() at once may drop the last handshake bytes).
      socket.on('data', function () {});
      socket.once('end', function () { finish(result); });
      socket.once('close', function () { finish(result); });
      socket.write(REQUEST);
    });
    socket.on('error', function (error) {
      if (result) return finish(result);
      finish({ outcome: classify(error), reason: error.code || null, error: String(error.message).split('\n')[0] });
    });
  });
}

function runtimeInfo() {
  return {
    node: process.versions.node,
    openssl: process.versions.openssl,
    execPath: process.execPath,
    NODE_OPTIONS: process.env.NODE_OPTIONS || null,
    DEFAULT_MIN_VERSION: tls.DEFAULT_MIN_VERSION || null,
    DEFAULT_MAX_VERSION: tls.DEFAULT_MAX_VERSION || null,
    DEFAULT_CIPHERS: tls.DEFAULT_CIPHERS || null,
  };
}

function main(job) {
  var clients = {};
  var results = [];
  var chain = Promise.resolve();
  ['default', 'strict'].forEach(function (mode) {
    var built = options(mode, job.ca);
    clients[mode] = built.settings;
    job.targets.forEach(function (target) {
      chain = chain.then(function () {
        return handshake(built.tls, target.port, job.timeoutMs).then(function (result) {
          results.push(Object.assign({ client: mode, server: target.id }, result));
        });
      });
    });
  });
  return chain.then(function () {
    process.stdout.write(JSON.stringify({ runtime: runtimeInfo(), clients: clients, handshakes: results }));
  });
}

var input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', function (chunk) { input += chunk; });
process.stdin.on('end', function () {
  var job = JSON.parse(input);
  job.ca = require('fs').readFileSync(job.caFile, 'utf8');
  main(job).catch(function (error) {
    process.stderr.write(String(error && error.stack || error));
    process.exitCode = 1;
  });
});
