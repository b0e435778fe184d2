// The differential test's Node.js client, written apart from the action's (node_probe.cjs):
// tls.connect in its default way (default) or asked for TLS 1.0 and every cipher at security
// level 0 (strict), verification on, once to each port; one JSON line per port.
//   node truth_client.cjs MODE CA PORT...
'use strict';
const fs = require('node:fs');
const tls = require('node:tls');

const [mode, caFile, ...ports] = process.argv.slice(2);
const ca = fs.readFileSync(caFile);
const extra = mode === 'strict' ? { minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' } : {};

function once(port) {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...extra });
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
    socket.once('secureConnect', () => {
      socket.end('GET / HTTP/1.0\r\n\r\n');
      socket.destroy();
      resolve({ port, ok: true });
    });
    socket.once('error', (e) => resolve({ port, ok: false, error: String(e.message).slice(0, 300) }));
  });
}

(async () => {
  for (const port of ports) process.stdout.write(`${JSON.stringify(await once(Number(port)))}\n`);
})();
