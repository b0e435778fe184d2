import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clip } from '../../shared/errors.js';
import { clientMode } from '../client_kinds.js';
import { buildRoot, buildStep, cachedBuild, digest } from './build_cache.js';
import { ClientStartError } from './client.js';
import { type Launch, ScriptClient } from './script_client.js';

// ncc copies the program into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./go_probe.go', import.meta.url);

/** What go_probe.go says of itself (its report's `runtime`). */
type GoRuntime = Record<string, unknown> & { go: string; GODEBUG: string };

const ADVICE = 'give the path to a go command (Go 1.13 or later).';

/**
 * Probes a Go toolchain with a program built by it (once per Go version and program, kept
 * under RUNNER_TEMP), in one process: `default` (net/http's default client, the run's CA as
 * SSL_CERT_FILE) and `strict` (tls.Config.MinVersion TLS 1.0, every suite crypto/tls has).
 * The program runs in the action's environment, so a GODEBUG the job sets is in force.
 */
export class GoClient extends ScriptClient<GoRuntime> {
  constructor(go: string) {
    super({
      name: 'the Go client',
      program: go,
      args: () => [],
      script: () => readFileSync(SCRIPT_URL, 'utf8'),
      clientCount: 2,
      what: 'go command',
      advice: ADVICE,
      fatal: (kind, detail) => new ClientStartError(`the probe built by ${go} cannot run (${kind}: ${detail})`),
      runtime: ({ go: version, GODEBUG, ...details }) => ({
        kind: 'go',
        path: go,
        version: `Go ${String(version).replace(/^go/, '')}`,
        tlsLibrary: 'crypto/tls (Go standard library)',
        details: {
          ...details,
          GODEBUG,
          floorSetting: `crypto/tls's client default minimum (tls.Config.MinVersion unset); GODEBUG: ${GODEBUG}`,
        },
      }),
      role: (name) => ({ mode: clientMode('go', name) }),
      prepare: (signal) => buildProbe(go, signal),
    });
  }
}

/** go_probe.go built by `go` (cached by Go version and program), ready to run. */
async function buildProbe(go: string, signal: AbortSignal): Promise<Launch> {
  const source = readFileSync(SCRIPT_URL, 'utf8');
  const root = buildRoot();
  // The build's own caches, under the run's temporary root: nothing written to $HOME, no
  // go.env or toolchain switch of the user's.
  const env = {
    ...process.env,
    GOCACHE: path.join(root, 'go-cache'),
    GOPATH: path.join(root, 'go-path'),
    GOENV: 'off',
    GOFLAGS: '',
    GOTOOLCHAIN: 'local',
    GO111MODULE: 'off',
  };
  const options = { env, signal, advice: ADVICE };
  const asked = { ...options, step: 'go env GOVERSION', timeoutMs: 30_000 };
  const version = (await buildStep(go, ['env', 'GOVERSION'], asked)).stdout.trim();
  if (!/^go\d/.test(version))
    throw new ClientStartError(`${go} env GOVERSION said '${clip(version, 40)}', not a Go version`, ADVICE);
  const dir = await cachedBuild(
    `go-probe-${version}-${digest(source)}`,
    { file: 'probe', program: go, advice: ADVICE },
    async (work) => {
      await writeFile(path.join(work, 'main.go'), source);
      const step = 'building the probe (go build)';
      await buildStep(go, ['build', '-o', 'probe', 'main.go'], { ...options, step, cwd: work, timeoutMs: 300_000 });
    },
  );
  return { program: path.join(dir, 'probe'), args: [] };
}
