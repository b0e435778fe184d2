import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { CLIENT_KINDS, kindsReading } from '../../src/probe/client_kinds.js';
import { PROGRAM_CLIENTS } from '../../src/probe/clients/programs.js';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('a client kind is one declaration (src/probe/client_kinds.ts)', () => {
  it('every kind with a program has its client, and no client is made for a kind without one', () => {
    const withProgram = CLIENT_KINDS.filter((k) => 'program' in k).map((k) => k.name);
    expect(Object.keys(PROGRAM_CLIENTS).sort()).toEqual([...withProgram].sort());
  });

  it('action.yml and docs/clients.md name every kind', () => {
    const action = readFileSync('action.yml', 'utf8');
    const description = /\n {2}client:\n {4}description: >\n([\s\S]*?)\n {4}required/.exec(action)?.[1] ?? '';
    const docs = readFileSync('docs/clients.md', 'utf8');
    for (const kind of CLIENT_KINDS) {
      expect(description, kind.name).toMatch(new RegExp(`\\b${kind.name}\\b`));
      expect(docs, kind.name).toContain(`| \`${kind.name}\``);
    }
  });

  it.each(CLIENT_KINDS.filter((k) => !kindsReading('libraries').includes(k.name)).map((k) => [k.name]))(
    'client: %s refuses the library clients and names the kinds that read them',
    async (name) => {
      await expect(
        readInputs(reader({ client: name, libraries: 'urllib3', 'client-command': name === 'command' ? 'true' : '' })),
      ).rejects.toThrow(`libraries: only for client python or node (client is ${name}).`);
    },
  );

  it('client-path with a kind that has no program names every kind that reads it', async () => {
    const kinds = kindsReading('client-path');
    expect(kinds.length).toBeGreaterThan(1);
    await expect(
      readInputs(reader({ client: 'command', 'client-command': 'true', 'client-path': 'x' })),
    ).rejects.toThrow(
      `client-path: only for client ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)} (client is command).`,
    );
  });
});
