import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { resolveClient } from '../../src/action/client_choice.js';
import { namingInputs } from '../../src/action/refusals.js';
import { readInputs } from '../../src/inputs/inputs.js';
import { decidingClients } from '../../src/judgement/deciders.js';
import type { ClientDescription } from '../../src/probe/clients/client.js';
import { fillTemplate, parseTemplate, splitWords } from '../../src/probe/clients/command_template.js';
import { PythonClient } from '../../src/probe/clients/python.js';
import { InputError } from '../../src/shared/errors.js';
import { temporaryFolder } from '../fixtures/temporary.js';

/** Inputs as the runner passes them: action.yml's defaults for what a workflow leaves out. */
const reader = (inputs: Record<string, string>) => {
  const given = { ...actionDefaults(), ...inputs };
  return (name: string) => given[name] ?? '';
};
const select = async (inputs: Record<string, string>) => resolveClient(await readInputs(reader(inputs)));

describe('client inputs', () => {
  it('defaults to python: the runtime the action obtains, whose interpreter the resolver is given', async () => {
    const inputs = await readInputs(reader({}));
    expect(inputs).toMatchObject({ client: 'python', clientShell: false });
    await expect(resolveClient(inputs)).rejects.toThrow(/the runtime must be obtained before/);
    const resolved = await resolveClient(inputs, {
      interpreter: '/opt/runtime/bin/python3',
      label: 'the built runtime',
    });
    expect(resolved.label).toBe('the built runtime');
    expect(resolved.client).not.toBeInstanceOf(PythonClient); // wrapped: its errors are the action's
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'an unknown client',
      { client: 'dotnet' },
      /^client: 'dotnet' is not allowed; use python, node, curl, openssl, java, go, ruby, php, aws-cli, command \(default python\)\.$/,
    ],
    ['client: command without client-command', { client: 'command' }, /^client-command: required with client: command/],
    [
      'client-command with another client',
      { client: 'curl', 'client-command': 'true' },
      /^client-command: only for client: command \(client is curl\)\.$/,
    ],
    [
      'client-path with python',
      { 'client-path': '/usr/bin/python3' },
      /^client-path: only for client node, curl, openssl, java, go, ruby, php or aws-cli \(client is python; use python-path\)\.$/,
    ],
    [
      'python-path with node',
      { client: 'node', 'python-path': 'python3' },
      /^python-path: only for client: python \(client is node\); use client-path\.$/,
    ],
    [
      'client-shell with another client',
      { client: 'node', 'client-shell': 'true' },
      /^client-shell: only for client: command \(client is node\)\.$/,
    ],
    [
      'a client-shell of yes',
      { client: 'command', 'client-command': 'true', 'client-shell': 'yes' },
      /^client-shell: 'yes' is not allowed; use true, false \(default false\)\.$/,
    ],
  ])('rejects %s in one line naming the input', async (_name, inputs, message) => {
    await expect(readInputs(reader(inputs))).rejects.toThrow(message);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a client-path that does not exist',
      { client: 'curl', 'client-path': '/nonexistent/curl' },
      /^client-path: \/nonexistent\/curl does not exist; give the path to a curl binary\.$/,
    ],
    [
      'a client-path not on PATH',
      { client: 'node', 'client-path': 'no-such-node-here' },
      /^client-path: 'no-such-node-here' is not on PATH; give the path to a node binary\.$/,
    ],
    ['a directory as client-path', { client: 'openssl', 'client-path': '/tmp' }, /^client-path: \/tmp is not a file/],
    [
      'a template with an unknown placeholder',
      { client: 'command', 'client-command': 'curl --cacert {ca} {hostname}' },
      /^client-command: unknown placeholder \{hostname\}; use \{host\}, \{port\}, \{url\}, \{ca\}, \{version\}\.$/,
    ],
    [
      'a template whose program does not exist',
      { client: 'command', 'client-command': 'no-such-program {url}' },
      /^client-command: cannot find the program 'no-such-program'/,
    ],
    [
      'a template with an unbalanced quote',
      { client: 'command', 'client-command': "curl '{url}" },
      /^client-command: unbalanced ' quote/,
    ],
    [
      'a template whose placeholder is not closed',
      { client: 'command', 'client-command': 'curl {ca' },
      /^client-command: '\{ca' has no closing brace; use \{host\}, \{port\}, \{url\}, \{ca\}, \{version\}, each closed\.$/,
    ],
    [
      'a shell template whose placeholder is not closed among braces of its own',
      { client: 'command', 'client-shell': 'true', 'client-command': '{ curl {url -k; }' },
      /^client-command: '\{url' has no closing brace/,
    ],
  ])('rejects %s in one line naming the input', async (_name, inputs, message) => {
    await expect(select(inputs)).rejects.toThrow(message);
  });

  it("accepts a shell's own braces beside closed placeholders", async () => {
    const { label } = await select({
      client: 'command',
      'client-shell': 'true',
      'client-command': '{ curl --cacert {ca} {url}; } | cat',
    });
    expect(label).toContain('| cat');
  });

  it('rejects a client-path that is not executable', async () => {
    const file = path.join(temporaryFolder('tls-floor-'), 'curl');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o644);
    await expect(select({ client: 'curl', 'client-path': file })).rejects.toThrow(
      /^client-path: .*\/curl is not executable/,
    );
  });
});

describe('libraries and python-context', () => {
  it.each<[string, Record<string, string>, unknown]>([
    ['auto: every library (nothing chosen)', {}, undefined],
    ['none', { libraries: 'none' }, []],
    ['a list, in the report order', { libraries: 'botocore, urllib3 httpx' }, ['urllib3', 'httpx', 'botocore']],
    ['awscrt', { libraries: 'awscrt' }, ['awscrt']],
    ["client node's own", { client: 'node', libraries: 'aws-sdk,fetch https' }, ['https', 'fetch', 'aws-sdk']],
  ])('libraries %s', async (_, inputs, libraries) => {
    expect((await readInputs(reader(inputs))).libraries).toEqual(libraries);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'an unknown library',
      { libraries: 'requests,pycurl' },
      /^libraries: 'pycurl' is not allowed; give auto, none, or one or more of urllib3, requests, httpx, aiohttp, botocore, awscrt\.$/,
    ],
    [
      "a python library with client node: node's own are named",
      { client: 'node', libraries: 'httpx' },
      /^libraries: 'httpx' is not allowed; give auto, none, or one or more of https, fetch, aws-sdk\.$/,
    ],
    [
      'libraries with another client',
      { client: 'curl', libraries: 'https' },
      /^libraries: only for client python or node \(client is curl\)\.$/,
    ],
    [
      'a python-context without a callable',
      { 'python-context': 'mypkg.net' },
      /^python-context: 'mypkg\.net' is not allowed; give module:callable/,
    ],
    [
      'a python-context that is not a name',
      { 'python-context': 'a b:c()' },
      /^python-context: 'a b:c\(\)' is not allowed/,
    ],
    [
      'python-context with another client',
      { client: 'curl', 'python-context': 'm:f' },
      /^python-context: only for client: python/,
    ],
  ])('rejects %s in one line naming the input', async (_, inputs, message) => {
    await expect(readInputs(reader(inputs))).rejects.toThrow(message);
  });

  it('a python-context callable that fails is one line naming the input', async () => {
    const dir = temporaryFolder('tls-floor-ctx-');
    writeFileSync(path.join(dir, 'badctx.py'), 'def make():\n    raise ValueError("line one\\nline two")\n');
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const workspace = process.env['GITHUB_WORKSPACE'];
    process.env['GITHUB_WORKSPACE'] = dir; // where the module is found
    try {
      const { client } = await select({ 'python-path': python, 'python-context': 'badctx:make', libraries: 'none' });
      const { runProbe } = await import('../../src/probe/probe.js');
      const error = await runProbe(client, { floor: '1.2', handshakeTimeoutMs: 5000, probeTimeoutMs: 30000 }).catch(
        (e: unknown) => e,
      );
      // The probe refuses what the context names; the action's edge names the input (action/refusals.ts).
      const line = namingInputs(error);
      expect((line as Error).message).toBe('python-context: badctx:make() raised ValueError: line one line two.');
      expect(line).toBeInstanceOf(InputError);
    } finally {
      if (workspace === undefined) delete process.env['GITHUB_WORKSPACE'];
      else process.env['GITHUB_WORKSPACE'] = workspace;
    }
  });
});

describe('decidingClients', () => {
  const c = (name: string, extra: Partial<ClientDescription> = {}): ClientDescription => ({
    name,
    settings: {},
    ran: true,
    ...extra,
  });
  const python = [
    c('default', { mode: 'default' }),
    c('strict', { mode: 'strict' }),
    c('urllib3', { mode: 'default', optional: true }),
  ];

  it('adds urllib3 to the default side when it ran', () => {
    expect(decidingClients('default', python)).toEqual(['default', 'urllib3']);
    expect(decidingClients('strict', python)).toEqual(['strict']);
    expect(decidingClients('both', python)).toEqual(['default', 'strict', 'urllib3']);
  });

  it('leaves a skipped optional client out, but never a built-in one that failed', () => {
    const skipped = python.map((x) =>
      x.name === 'urllib3' || x.name === 'default' ? { ...x, ran: false, skipped: 'no' } : x,
    );
    expect(decidingClients('default', skipped)).toEqual(['default']);
  });

  it('lets a user command decide in every mode', () => {
    for (const mode of ['default', 'strict', 'both'] as const)
      expect(decidingClients(mode, [c('command')])).toEqual(['command']);
  });
});

describe('the command template', () => {
  const values = {
    host: '127.0.0.1',
    port: '443',
    url: 'https://x/ a b',
    ca: "/tmp/it's here/ca.pem",
    version: 'TLSv1',
  };

  it('splits into words before substituting: a value with blanks stays one argument', () => {
    const t = parseTemplate('curl --cacert {ca} "--url={url}" -H \'X: {version}\' {url}', false);
    expect(t.words).toEqual(['curl', '--cacert', '{ca}', '--url={url}', '-H', 'X: {version}', '{url}']);
    expect(fillTemplate(t, values)).toEqual({
      command: 'curl',
      args: ['--cacert', "/tmp/it's here/ca.pem", '--url=https://x/ a b', '-H', 'X: TLSv1', 'https://x/ a b'],
    });
  });

  it('with a shell, quotes every value so it is one word and nothing runs', () => {
    const hostile = { ...values, url: "'; echo pwned; '$(echo no)`echo no`" };
    const { command, args } = fillTemplate(parseTemplate('printf "%s|" {url} {ca}', true), hostile);
    expect(command).toBe('/bin/sh');
    expect(execFileSync(command, args, { encoding: 'utf8' })).toBe(`${hostile.url}|${hostile.ca}|`);
  });

  it('splits like a POSIX shell for quotes and backslashes', () => {
    expect(splitWords(`a  'b c' "d \\" e" f\\ g ''`)).toEqual(['a', 'b c', 'd " e', 'f g', '']);
  });
});

describe('the AWS CLI client reads its version line', () => {
  it("Debian's and the installers' aws --version", async () => {
    const { awsCliRuntime } = await import('../../src/probe/clients/aws_cli.js');
    expect(
      awsCliRuntime('/usr/bin/aws', 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12 prompt/off'),
    ).toMatchObject({
      kind: 'aws-cli',
      version: 'aws-cli 2.9.19',
      tlsLibrary: 'the ssl module of its Python 3.11.2 (botocore)',
      details: { installedFrom: 'x86_64.debian.12' },
    });
    expect(awsCliRuntime('aws', 'aws-cli/1.29.0 Python/3.8.10 Linux/5.4 botocore/1.31.0').details).toMatchObject({
      crtTransferClient: 'none (AWS CLI v1)',
    });
  });
});
