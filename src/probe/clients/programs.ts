import { isNodeLibrary } from '../../shared/libraries.js';
import type { ProgramClientKind } from '../client_kinds.js';
import { AwsCliClient } from './aws_cli.js';
import type { ProbeClient } from './client.js';
import { CurlClient } from './curl.js';
import { GoClient } from './go.js';
import { JavaClient } from './java.js';
import { NodeClient } from './node.js';
import { OpensslClient } from './openssl.js';
import { PhpClient } from './php.js';
import { RubyClient } from './ruby.js';

/**
 * The client of each kind whose runtime client-path names (probe/client_kinds.ts), made for the
 * program found. A kind declared with a program and missing here does not compile.
 */
/** What a program's client may take from the inputs besides its path: node's library clients. */
export interface ProgramOptions {
  libraries: readonly string[];
  /** Where a library the probe does not bundle is resolved from (@aws-sdk/client-s3). */
  workspace: string;
}

export const PROGRAM_CLIENTS: Readonly<
  Record<ProgramClientKind, (binary: string, options: ProgramOptions) => ProbeClient>
> = {
  node: (binary, { libraries, workspace }) =>
    new NodeClient(binary, { libraries: libraries.filter(isNodeLibrary), workspace }),
  curl: (binary) => new CurlClient(binary),
  openssl: (binary) => new OpensslClient(binary),
  java: (binary) => new JavaClient(binary),
  go: (binary) => new GoClient(binary),
  ruby: (binary) => new RubyClient(binary),
  php: (binary) => new PhpClient(binary),
  'aws-cli': (binary) => new AwsCliClient(binary),
};
