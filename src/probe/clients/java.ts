import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clientMode } from '../client_kinds.js';
import { buildStep, cachedBuild, digest } from './build_cache.js';
import { ClientStartError } from './client.js';
import { type Launch, ScriptClient } from './script_client.js';

// ncc copies the program into dist/ and rewrites this URL; in src/ it sits beside this file.
const SCRIPT_URL = new URL('./java_probe.java', import.meta.url);
const CLASS = 'java_probe';

/** What java_probe.java says of the JVM (its report's `runtime`). */
type JavaRuntime = Record<string, unknown> & { java: string; provider: string };

const ADVICE = "give the path to a JDK's java (11 or later), or a script that runs one.";

/**
 * Probes a JVM with a program compiled once (by the JVM's own javac, --release 11, kept under
 * RUNNER_TEMP), in one process: `default` (java.net.http.HttpClient as newHttpClient makes it),
 * `urlconnection` (HttpsURLConnection), both trusting the run's CA through
 * javax.net.ssl.trustStore; `strict` (an HttpClient asked for every protocol from TLSv1 and
 * every suite). The JVM is started as client-path starts it, so a wrapper script's
 * -Djava.security.properties or the job's JAVA_TOOL_OPTIONS is in force.
 */
export class JavaClient extends ScriptClient<JavaRuntime> {
  constructor(java: string) {
    super({
      name: 'the Java client',
      program: java,
      args: () => [],
      script: () => readFileSync(SCRIPT_URL, 'utf8'),
      clientCount: 3,
      what: 'java (11 or later)',
      advice: ADVICE,
      fatal: (kind, detail) => new ClientStartError(`${java} cannot run the probe (${kind}: ${detail})`),
      runtime: ({ java: version, provider, ...details }) => ({
        kind: 'java',
        path: java,
        version: `Java ${version}`,
        tlsLibrary: `JSSE (${provider})`,
        details: {
          ...details,
          floorSetting:
            `jdk.tls.disabledAlgorithms: ${details['jdk.tls.disabledAlgorithms']}; ` +
            `jdk.tls.client.protocols: ${details['jdk.tls.client.protocols']}`,
        },
      }),
      role: (name) => ({ mode: clientMode('java', name) }),
      prepare: (signal) => compileProbe(java, signal),
    });
  }
}

/** java_probe.java compiled by the JVM's own compiler (cached by program), ready to run. */
async function compileProbe(java: string, signal: AbortSignal): Promise<Launch> {
  const source = readFileSync(SCRIPT_URL, 'utf8');
  const dir = await cachedBuild(
    `java-probe-${digest(source)}`,
    { file: `${CLASS}.class`, program: java, advice: ADVICE },
    async (work) => {
      const file = path.join(work, `${CLASS}.java`);
      await writeFile(file, source);
      const javac = ['-m', 'jdk.compiler/com.sun.tools.javac.Main', '--release', '11', '-d', work, file];
      const step = 'compiling the probe (javac, --release 11)';
      await buildStep(java, javac, { step, signal, timeoutMs: 180_000, advice: ADVICE });
    },
  );
  // C1 only and the serial collector: a short-lived program starts sooner; TLS is the JVM's as configured.
  return { program: java, args: ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', dir, CLASS] };
}
