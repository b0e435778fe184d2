// tls-floor's Node.js library clients: the HTTP clients an application uses, each through its
// own default path with the run's CA added: `https` (https.get), `fetch` (the built-in fetch:
// undici's own TLS setup) and `aws-sdk` (the AWS SDK for JavaScript v3's S3Client with its
// NodeHttpHandler, resolved from the workspace's node_modules, never bundled). Sent before
// node_probe.cjs in the same -e script; as that one, CommonJS without dependencies.
// Each runs alone (one after the other), so every client socket Node.js makes meanwhile is its:
// the diagnostics channel 'net.client.socket' (Node.js 15.?+) names them, with their ports.
'use strict';
var LIBRARIES_CONFIG = 'TLS_FLOOR_NODE_PROBE';

// biome-ignore lint/correctness/noUnusedVariables: node_probe.cjs, sent after this script, calls it
function librariesConfig() {
  try {
    const config = JSON.parse(process.env[LIBRARIES_CONFIG] || '{}');
    delete process.env[LIBRARIES_CONFIG];
    return config;
  } catch (_error) {
    return {};
  }
}

/** Every client socket Node.js makes while `watch` is on: its port and, once TLS is up, its version. */
var sockets = { active: null, subscribed: false };

function watchSockets() {
  var channel = require('node:diagnostics_channel');
  if (!sockets.subscribed && typeof channel.subscribe === 'function') {
    channel.subscribe('net.client.socket', (message) => {
      var seen = sockets.active;
      var socket = message?.socket;
      if (!seen || !socket) return;
      socket.once('connect', () => {
        if (socket.localPort && seen.ports.indexOf(socket.localPort) < 0) seen.ports.push(socket.localPort);
      });
      socket.once('secureConnect', () => {
        var cipher = socket.getCipher?.();
        seen.tls = { version: socket.getProtocol(), cipher: cipher ? cipher.name : null };
      });
    });
    sockets.subscribed = true;
  }
  return sockets.subscribed;
}

function innermost(error) {
  var seen = error;
  for (let i = 0; i < 5 && seen?.cause; i += 1) seen = seen.cause;
  return seen || error;
}

function withTimeout(promise, timeoutMs) {
  var timer;
  return Promise.race([
    promise,
    new Promise((_resolve, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { timedOut: true })),
        timeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** One request through a library: what the sockets saw, or why it failed. */
function libraryHandshake(request, port, timeoutMs) {
  var seen = { ports: [], tls: null };
  sockets.active = seen;
  return withTimeout(
    Promise.resolve().then(() => request(port, timeoutMs)),
    timeoutMs,
  )
    .then(
      () => ({ outcome: 'connected' }),
      (error) => {
        // A failure after the handshake completed (the probe's answer is no S3 XML) leaves it completed.
        if (seen.tls) return { outcome: 'connected', error: String(error?.message).split('\n')[0] };
        if (error?.timedOut) return { outcome: 'timeout', error: error.message };
        var cause = innermost(error);
        // A system code (EPROTO: https over a failed handshake) says less than OpenSSL's text.
        var code = /^ERR_/.test(cause.code || '') ? cause.code : null;
        return { outcome: 'tls', reason: code, error: String(cause.message || cause).split('\n')[0] };
      },
    )
    .then((result) => {
      sockets.active = null;
      if (result.outcome === 'connected' && seen.tls) Object.assign(result, seen.tls);
      result.ports = seen.ports;
      return result;
    });
}

function httpsGet(ca) {
  var https = require('node:https');
  return (port) =>
    new Promise((resolve, reject) => {
      var request = https.get(
        `https://localhost:${port}/`,
        { ca: ca, agent: new https.Agent({ ca: ca }) },
        (response) => {
          response.resume();
          response.once('end', resolve);
          response.once('error', reject);
        },
      );
      request.once('error', reject);
    });
}

function fetchGet(ca) {
  var tls = require('node:tls');
  // fetch takes no CA: the process's default CA store is the run's CA added to Node.js's own.
  if (typeof tls.setDefaultCACertificates !== 'function')
    throw new Error(
      "fetch: this Node.js has no tls.setDefaultCACertificates (22.19, 24.5), so the run's CA cannot be given to it",
    );
  tls.setDefaultCACertificates(tls.getCACertificates('default').concat([ca]));
  return (port) =>
    fetch(`https://localhost:${port}/`, { redirect: 'manual' }).then((response) => response.arrayBuffer());
}

/** The workspace's @aws-sdk/client-s3 and the NodeHttpHandler it depends on: [modules, version, path]. */
function awsSdk(workspace) {
  var path = require('node:path');
  var fromWorkspace = require('node:module').createRequire(path.join(workspace || process.cwd(), 'package.json'));
  var file = fromWorkspace.resolve('@aws-sdk/client-s3');
  var fromClient = require('node:module').createRequire(file);
  var s3 = fromWorkspace('@aws-sdk/client-s3');
  var handler = fromClient('@smithy/node-http-handler');
  var manifest = fromWorkspace('@aws-sdk/client-s3/package.json');
  return { s3: s3, handler: handler, version: manifest.version, file: file };
}

function awsSdkGet(sdk, ca) {
  var https = require('node:https');
  return (port, timeoutMs) => {
    var client = new sdk.s3.S3Client({
      region: 'us-east-1',
      endpoint: `https://localhost:${port}`,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'TLSFLOORPROBE', secretAccessKey: 'tls-floor-probe' },
      requestHandler: new sdk.handler.NodeHttpHandler({
        httpsAgent: new https.Agent({ ca: ca }),
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
      }),
    });
    return client.send(new sdk.s3.ListBucketsCommand({})).finally(() => client.destroy());
  };
}

/** [settings, request] of a library client; throws where it cannot run here. */
function libraryClient(name, ca, config) {
  if (name === 'https')
    return [
      { version: process.versions.node, call: 'https.get(url, { ca: CA, agent: new https.Agent({ ca: CA }) })' },
      httpsGet(ca),
    ];
  if (name === 'fetch')
    return [
      {
        version: process.versions.undici || process.versions.node,
        call: 'fetch(url) with tls.setDefaultCACertificates(default + CA)',
      },
      fetchGet(ca),
    ];
  var sdk = awsSdk(config.workspace);
  return [
    {
      version: sdk.version,
      module: sdk.file,
      call: 'S3Client({ endpoint, requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: CA }) }) }).send(ListBucketsCommand)',
    },
    awsSdkGet(sdk, ca),
  ];
}

/** Runs each library client the config names against every target, one after the other. */
// biome-ignore lint/correctness/noUnusedVariables: node_probe.cjs, sent after this script, calls it
function runLibraries(job, config, clients, results) {
  var chain = Promise.resolve();
  (config.libraries || []).forEach((name) => {
    chain = chain.then(() => {
      var made;
      try {
        if (!watchSockets()) throw new Error('this Node.js has no diagnostics channel net.client.socket');
        made = libraryClient(name, job.ca, config);
      } catch (error) {
        clients[name] = { error: `${name} cannot run here: ${String(error?.message).split('\n')[0]}` };
        return undefined;
      }
      clients[name] = made[0];
      var inner = Promise.resolve();
      job.targets.forEach((target) => {
        inner = inner.then(() =>
          libraryHandshake(made[1], target.port, job.timeoutMs).then((result) => {
            results.push(Object.assign({ client: name, server: target.id }, result));
          }),
        );
      });
      return inner;
    });
  });
  return chain;
}
