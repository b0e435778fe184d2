import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientChoice, resolveClient } from '../../src/action/client_choice.js';
import { ClientStartError } from '../../src/probe/clients/client.js';
import { PythonClient } from '../../src/probe/clients/python.js';
import { runProbe } from '../../src/probe/probe.js';
import { InputError } from '../../src/shared/errors.js';
import { pythonTooOld, pythonWithoutSsl } from '../fixtures/interpreters.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The resolver is the edge: every failure to find or start a client names the input that
// chose the program, or, for the runtime the action obtained, no input at all.

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

const choice = (given: Partial<ClientChoice>): ClientChoice => ({ client: 'python', clientShell: false, ...given });
const probeWith = (client: Parameters<typeof runProbe>[0]) =>
  runProbe(client, { floor: '1.3', handshakeTimeoutMs: 3000, probeTimeoutMs: 20_000 });
const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

function script(name: string, text: string, mode = 0o755): string {
  const file = path.join(temporaryFolder('tls-floor-resolve-'), name);
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

describe('finding the program: the error names the input', () => {
  it.each<[string, Partial<ClientChoice>, RegExp]>([
    [
      'python-path not on PATH',
      { pythonPath: 'no-such-python-here' },
      /^python-path: 'no-such-python-here' is not on PATH; give a path to a Python >= 3\.6 interpreter or a command name on PATH\.$/,
    ],
    [
      'python-path missing',
      { pythonPath: '/nonexistent/python3' },
      /^python-path: \/nonexistent\/python3 does not exist; give a path/,
    ],
    ['python-path a folder', { pythonPath: '/tmp' }, /^python-path: \/tmp is not a file; give a path/],
    [
      'client-path of node missing',
      { client: 'node', clientPath: '/nonexistent/node' },
      /^client-path: \/nonexistent\/node does not exist; give the path to a node binary\.$/,
    ],
    [
      'client-path of openssl not on PATH',
      { client: 'openssl', clientPath: 'no-such-openssl' },
      /^client-path: 'no-such-openssl' is not on PATH; give the path to an openssl binary\.$/,
    ],
    [
      'the program of client-command',
      { client: 'command', clientCommand: '/nonexistent/prog {url}' },
      /^client-command: cannot find the program '\/nonexistent\/prog'; give a command on PATH or a path to one\.$/,
    ],
  ])('%s', async (_name, given, message) => {
    const error = await failure(resolveClient(choice(given)));
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(message);
  });

  it('a python-path that is not executable', async () => {
    const file = script('python3', '#!/bin/sh\n', 0o644);
    expect((await failure(resolveClient(choice({ pythonPath: file }))))?.message).toBe(
      `python-path: ${file} is not executable; give a path to a Python >= 3.6 interpreter or a command name on PATH.`,
    );
  });
});

describe('starting the client: the error names the input that chose it', () => {
  it('python-path: a Python without ssl', async () => {
    const { client } = await resolveClient(choice({ pythonPath: pythonWithoutSsl() }));
    const error = await failure(probeWith(client));
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(
      /^python-path: \/.*python-no-ssl has no ssl module \(.*\); it cannot speak TLS at all\.$/,
    );
  });

  it('client-path: a node that is no node (/bin/true)', async () => {
    const { client } = await resolveClient(choice({ client: 'node', clientPath: '/bin/true' }));
    expect((await failure(probeWith(client)))?.message).toBe(
      'client-path: /bin/true is not a usable node binary (exit 0: ).',
    );
  });

  it('client-path: a curl that is no curl (/bin/false)', async () => {
    const { client } = await resolveClient(choice({ client: 'curl', clientPath: '/bin/false' }));
    expect((await failure(probeWith(client)))?.message).toBe(
      'client-path: /bin/false --version exited 1; is it a curl binary?',
    );
  });

  it.each([
    [
      'java',
      '/bin/true',
      /^client-path: \/bin\/true built no java_probe\.class \(it exited 0\); give the path to a JDK's java \(11 or later\), or a script that runs one\.$/,
    ],
    [
      'go',
      '/bin/false',
      /^client-path: \/bin\/false: go env GOVERSION failed \(exit code 1\); give the path to a go command \(Go 1\.13 or later\)\.$/,
    ],
    [
      'go',
      '/bin/true',
      /^client-path: \/bin\/true env GOVERSION said '', not a Go version; give the path to a go command/,
    ],
    [
      'ruby',
      '/bin/true',
      /^client-path: \/bin\/true is not a usable ruby \(with its json, net\/http and openssl libraries\) \(exit 0: \)\.$/,
    ],
    ['php', '/bin/false', /^client-path: \/bin\/false is not a usable php \(with its json extension\) \(exit 1: \)\.$/],
  ] as const)('client-path: a %s that is none (%s): one line naming the input', async (kind, binary, message) => {
    const runnerTemp = process.env['RUNNER_TEMP'];
    process.env['RUNNER_TEMP'] = temporaryFolder('tls-floor-runner-');
    try {
      // Go and Java build their program when the client is resolved; ruby and php fail in the probe.
      const resolved = resolveClient(choice({ client: kind, clientPath: binary }));
      expect((await failure(resolved.then(({ client }) => probeWith(client))))?.message).toMatch(message);
    } finally {
      if (runnerTemp === undefined) delete process.env['RUNNER_TEMP'];
      else process.env['RUNNER_TEMP'] = runnerTemp;
    }
  });

  it('client-path: a ruby that writes without end is killed at 4 MiB, in one line naming the input', async () => {
    const spewing = script('ruby', '#!/bin/sh\nexec yes\n');
    const { client } = await resolveClient(choice({ client: 'ruby', clientPath: spewing }));
    expect((await failure(probeWith(client)))?.message).toBe(
      `client-path: ${spewing} wrote more than 4 MiB to its stdout and was stopped; give the path to a ruby.`,
    );
  });

  it('client: go is built when it is resolved, outside the probe (its binary is in RUNNER_TEMP before the probe starts)', async () => {
    const runnerTemp = process.env['RUNNER_TEMP'];
    const temp = temporaryFolder('tls-floor-runner-');
    process.env['RUNNER_TEMP'] = temp;
    try {
      await resolveClient(choice({ client: 'go' }));
      const built = readdirSync(path.join(temp, 'tls-floor-clients')).filter((d) => d.startsWith('go-probe-go'));
      expect(built).toHaveLength(1);
      expect(readdirSync(path.join(temp, 'tls-floor-clients', built[0] ?? ''))).toContain('probe');
    } finally {
      if (runnerTemp === undefined) delete process.env['RUNNER_TEMP'];
      else process.env['RUNNER_TEMP'] = runnerTemp;
    }
  });

  it('client-path: a java without a compiler (a JRE): the compiler step fails, the cache stays empty', async () => {
    const jre = script('java', '#!/bin/sh\necho "Error: Module jdk.compiler not found" >&2\nexit 1\n');
    const runnerTemp = process.env['RUNNER_TEMP'];
    const temp = temporaryFolder('tls-floor-runner-');
    process.env['RUNNER_TEMP'] = temp;
    try {
      const error = await failure(resolveClient(choice({ client: 'java', clientPath: jre })));
      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toBe(
        `client-path: ${jre}: compiling the probe (javac, --release 11) failed (exit code 1: Error: Module jdk.compiler not found); give the path to a JDK's java (11 or later), or a script that runs one.`,
      );
      expect(readdirSync(path.join(temp, 'tls-floor-clients'))).toEqual([]);
    } finally {
      if (runnerTemp === undefined) delete process.env['RUNNER_TEMP'];
      else process.env['RUNNER_TEMP'] = runnerTemp;
    }
  });

  it("the runtime the action obtained: no input named, the failure is the action's", async () => {
    const interpreter = pythonTooOld();
    const { client, label } = await resolveClient(choice({}), { interpreter, label: 'the built runtime' });
    expect(label).toBe('the built runtime');
    const error = await failure(probeWith(client));
    expect(error).not.toBeInstanceOf(InputError);
    expect(error?.message).toBe(`the runtime this action obtained cannot be probed: ${interpreter} is Python 3.5.9.`);
  });

  it('the client alone names no input: it throws a ClientStartError with the reason', async () => {
    const interpreter = pythonTooOld();
    const error = await failure(probeWith(new PythonClient(interpreter)));
    expect(error).toBeInstanceOf(ClientStartError);
    expect(error).toMatchObject({
      reason: `${interpreter} is Python 3.5.9`,
      advice: 'Python 3.6 or later is required.',
    });
  });
});
