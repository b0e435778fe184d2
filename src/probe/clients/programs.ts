import type { ProgramClientKind } from '../client_kinds.js';
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
export const PROGRAM_CLIENTS: Readonly<Record<ProgramClientKind, (binary: string) => ProbeClient>> = {
  node: (binary) => new NodeClient(binary),
  curl: (binary) => new CurlClient(binary),
  openssl: (binary) => new OpensslClient(binary),
  java: (binary) => new JavaClient(binary),
  go: (binary) => new GoClient(binary),
  ruby: (binary) => new RubyClient(binary),
  php: (binary) => new PhpClient(binary),
};
