import * as io from '@actions/io';
import { InputError } from '../../errors.js';
import type { Inputs } from '../../inputs.js';
import { resolveClientBinary } from './binary.js';
import type { ProbeClient } from './client.js';
import { CommandClient } from './command.js';
import { parseTemplate } from './command_template.js';
import { CurlClient } from './curl.js';
import { NodeClient } from './node.js';
import { OpensslClient } from './openssl.js';

export interface SelectedClient {
  client: ProbeClient;
  /** For the log: what is probed. */
  label: string;
}

/**
 * The probe client the inputs ask for, its binary or command checked. Undefined for
 * `client: python`: the entry point resolves (or builds) the interpreter as before.
 */
export async function selectClient(inputs: Inputs): Promise<SelectedClient | undefined> {
  switch (inputs.client) {
    case 'python':
      return undefined;
    case 'node': {
      const binary = await resolveClientBinary(inputs.clientPath ?? 'node', 'a node binary');
      return { client: new NodeClient(binary), label: `node ${binary}` };
    }
    case 'curl': {
      const binary = await resolveClientBinary(inputs.clientPath ?? 'curl', 'a curl binary');
      return { client: new CurlClient(binary), label: `curl ${binary}` };
    }
    case 'openssl': {
      const binary = await resolveClientBinary(inputs.clientPath ?? 'openssl', 'an openssl binary');
      return { client: new OpensslClient(binary), label: `openssl s_client ${binary}` };
    }
    case 'command': {
      const template = parseTemplate(inputs.clientCommand ?? '', inputs.clientShell);
      const program = template.shell ? '/bin/sh' : (template.words[0] ?? '');
      if (!(await io.which(program, false))) {
        throw new InputError(`client-command: cannot find the program '${program}'; give a command on PATH or a path to one.`);
      }
      return { client: new CommandClient(template), label: `the command '${template.text}'` };
    }
  }
}
