// tls-floor's Node.js client. It runs inside the node binary under test (given with -e), as
// CommonJS without dependencies, so that an old binary runs it too: its newest syntax is optional
// chaining and its newest API the node: specifiers of require (Node.js 14.18 and 16.0).
// Reads a job (JSON) on stdin, writes one JSON document on stdout: the format every script
// client shares (probe/clients/script_client.ts). It judges no error: a failed connection is
// reported as 'tls' with the error's code and text, which the action classifies by the one
// list every client shares (tls_errors.ts).
'use strict';
var tls = require('node:tls');

function lowestVersion() {
  // tls.connect's minVersion exists since Node.js 11.4; TLSv1 is the lowest it knows.
  return 'TLSv1';
}

function options(mode, ca, strictCiphers) {
  if (mode === 'default') return { settings: { ciphers: 'library default' }, tls: { ca: ca } };
  return {
    settings: { minimumVersion: lowestVersion(), ciphers: strictCiphers },
    tls: { ca: ca, minVersion: lowestVersion(), ciphers: strictCiphers },
  };
}

var REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

function handshake(tlsOptions, port, timeoutMs) {
  return new Promise((resolve) => {
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
    var timer = setTimeout(() => {
      // A completed handshake whose answer did not come stays completed.
      finish(result || { outcome: 'timeout', error: `no handshake within ${timeoutMs} ms` });
    }, timeoutMs);
    try {
      socket = tls.connect(Object.assign({ host: '127.0.0.1', port: port, servername: 'localhost' }, tlsOptions));
    } catch (error) {
      // A setting the binary rejects (an unknown minVersion, a bad cipher string).
      finish({ outcome: 'error', reason: error.code || null, error: String(error.message).split('\n')[0] });
      return;
    }
    socket.once('connect', () => {
      if (socket.localPort) ports = [socket.localPort];
    });
    socket.once('secureConnect', () => {
      var cipher = socket.getCipher();
      result = { outcome: 'connected', version: socket.getProtocol(), cipher: cipher ? cipher.name : null };
      // Ask for the server's answer and read it to the end: the server has then finished its
      // side of the handshake too (destroy() at once may drop the last handshake bytes).
      socket.on('data', () => {});
      socket.once('end', () => {
        finish(result);
      });
      socket.once('close', () => {
        finish(result);
      });
      socket.write(REQUEST);
    });
    socket.on('error', (error) => {
      if (result) return finish(result);
      finish({ outcome: 'tls', reason: error.code || null, error: String(error.message).split('\n')[0] });
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
  ['default', 'strict'].forEach((mode) => {
    var built = options(mode, job.ca, job.strictCiphers);
    clients[mode] = built.settings;
    job.targets.forEach((target) => {
      chain = chain.then(() =>
        handshake(built.tls, target.port, job.timeoutMs).then((result) => {
          results.push(Object.assign({ client: mode, server: target.id }, result));
        }),
      );
    });
  });
  // The library clients (node_libraries.cjs, sent before this script), after the built-in ones.
  chain = chain.then(() => runLibraries(job, librariesConfig(), clients, results));
  return chain.then(() => {
    process.stdout.write(JSON.stringify({ runtime: runtimeInfo(), clients: clients, handshakes: results }));
  });
}

var input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', () => {
  var job = JSON.parse(input);
  job.ca = require('node:fs').readFileSync(job.caFile, 'utf8');
  main(job).catch((error) => {
    process.stderr.write(String(error?.stack || error));
    process.exitCode = 1;
  });
});
