import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('dist/index.js with the client inputs', () => {
  it('client: node, probe-mode strict: a downgrade, reported as Node.js', async () => {
    const run = await runAction({ client: 'node', 'probe-mode': 'strict' });
    expect(run.code).not.toBe(0);
    expect(run.outputs['verdict']).toBe('downgrade');
    const report = JSON.parse(readFileSync(run.outputs['report-path'] ?? '', 'utf8'));
    expect(report.runtime).toMatchObject({ kind: 'node', version: expect.stringMatching(/^Node\.js /) });
    expect(run.stdout).toMatch(/runtime: Node\.js .* TLS library: OpenSSL /);
  });

  it('client: command that always exits 0: the command decides, and its word alone is inconclusive (the job fails)', async () => {
    const run = await runAction({ client: 'command', 'client-command': 'true {url}', 'fail-on-downgrade': 'false' });
    expect(run.code).not.toBe(0);
    expect(run.outputs['verdict']).toBe('inconclusive');
    expect(run.summary).toMatch(/\| `command` \|/);
    expect(run.summary).toMatch(/\| ❔ unconfirmed \|/);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'an unknown placeholder',
      { client: 'command', 'client-command': 'curl {nope}' },
      /^::error::client-command: unknown placeholder \{nope\}/m,
    ],
    [
      'a client-path that does not exist',
      { client: 'curl', 'client-path': '/nonexistent/curl' },
      /^::error::client-path: \/nonexistent\/curl does not exist/m,
    ],
    [
      'create-archive with client: node',
      { client: 'node', 'create-archive': 'true' },
      /^::error::create-archive: ignored with client: node \(nothing is built for a client other than python\); remove one of them\.$/m,
    ],
    [
      'openssl-version with client: curl',
      { client: 'curl', 'openssl-version': '3.0.22' },
      /^::error::openssl-version: ignored with client: curl/m,
    ],
  ])('fails on %s with one line naming the input', async (_name, inputs, message) => {
    const run = await runAction(inputs);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(message);
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(run.outputs['verdict']).toBeUndefined();
  });
});
