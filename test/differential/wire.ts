import { spawn } from 'node:child_process';

/**
 * The wire's word, a third one beside s_server's and the client's: tshark decodes one port on
 * the loopback interface, live, while `during` runs, until the connection has ended (FIN both ways, or a reset). What
 * a handshake's plaintext shows: the ServerHello's version and suite, and whether application
 * data (record type 23) then went both ways, which only happens after both Finished messages.
 */
export interface Wire {
  /** The ServerHello's version as tshark decodes it (0x0301 is TLS 1.0). */
  version?: string;
  /** Its cipher suite number (0x0035 is TLS_RSA_WITH_AES_256_CBC_SHA). */
  suite?: string;
  /** Application data records from the client and from the server. */
  dataBothWays: boolean;
}

const FIELDS = ['tcp.srcport', 'tls.record.content_type', 'tls.handshake.type', 'tls.handshake.version']
  .concat('tls.handshake.ciphersuite', 'tcp.flags')
  .flatMap((f) => ['-e', f]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function captured(tshark: string, port: number, during: () => Promise<unknown>): Promise<Wire> {
  const child = spawn(tshark, ['-l', '-i', 'lo', '-f', `tcp port ${port}`, '-T', 'fields', ...FIELDS], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const wire: Wire = { dataBothWays: false };
  const data = new Set<string>();
  const closed = new Set<string>();
  let rest = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = (rest + d.toString()).split('\n');
    rest = (lines.pop() ?? '').slice(-10_000);
    for (const line of lines) {
      const [src, types = '', handshakes = '', version, suite, flags = '0'] = line.split('\t');
      const side = src === String(port) ? 'server' : 'client';
      if (side === 'server' && handshakes.split(',').includes('2')) Object.assign(wire, { version, suite });
      if (types.split(',').includes('23')) data.add(side);
      // FIN from a side, or a reset (which ends both).
      if (Number(flags) & 0x01) closed.add(side);
      if (Number(flags) & 0x04) closed.add('server').add('client');
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`tshark did not start capturing in 30 s: ${err}`)), 30_000);
      child.stderr.on('data', (d: Buffer) => {
        err = (err + d.toString()).slice(-4000);
        if (/Capturing on/.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('close', () => reject(new Error(`tshark ended before capturing: ${err}`)));
    });
    // "Capturing on" comes a moment before the capture sees packets.
    await sleep(500);
    await during();
    // Then until tshark has decoded the end of the connection (FIN both ways, or a reset), at most 20 s.
    for (let waited = 0; closed.size < 2 && waited < 20_000; waited += 100) await sleep(100);
  } finally {
    child.kill('SIGINT');
    await ended;
  }
  wire.dataBothWays = data.size === 2;
  return wire;
}
