import type { RunResult } from '../../shared/process.js';
import type { ObservedServer, ServerSide } from '../handshake.js';
import { type ClientLimits, type ClientRun, observed, type ProbeClient, type StartedClient } from './client.js';
import { type CommandTemplate, fillTemplate } from './command_template.js';
import { completedOn, type Judged, type OneShotClient, runOneShots } from './one_shot.js';
import { classifyTlsText, tail } from './tls_errors.js';

/**
 * A user's command, run once per server. Its exit code says whether it got through;
 * the server's own log says what happened on the wire (the version, or why the handshake
 * failed), since the command cannot tell us.
 */
export class CommandClient implements ProbeClient {
  constructor(private readonly template: CommandTemplate) {}

  start(limits: ClientLimits): StartedClient {
    const client: OneShotClient = {
      description: { name: 'command', settings: { command: this.template.text, shell: String(this.template.shell) } },
      invocation: (server: ObservedServer, caFile: string) =>
        fillTemplate(this.template, {
          // The address the servers listen on; the URL names the host the certificates name
          // (localhost), so a sound client sends it as SNI (an IP address is never SNI, RFC 6066 §3).
          host: '127.0.0.1',
          port: String(server.port),
          url: `https://localhost:${server.port}/`,
          ca: caFile,
          version: server.versions.join(','),
        }),
      judge: judgeCommand,
    };
    return {
      run: async (job): Promise<ClientRun> =>
        observed({
          runtime: {
            kind: 'command',
            path: this.template.shell ? '/bin/sh' : (this.template.words[0] ?? ''),
            version: 'a user command',
            tlsLibrary: 'unknown (a user command)',
            details: { command: this.template.text, shell: this.template.shell },
          },
          clients: [{ ...client.description, ran: true }],
          handshakes: await runOneShots([client], job, limits),
        }),
    };
  }
}

/**
 * Exit 0 is a completed handshake; so is any handshake the server completed, whatever the
 * exit code (a command that fails after a TLS 1.0 handshake has still spoken TLS 1.0).
 * Otherwise only the server can say it was a TLS refusal.
 */
export function judgeCommand(run: RunResult, serverSaw: readonly ServerSide[]): Judged {
  const said = tail(run.stderr || run.stdout);
  const completed = completedOn(serverSaw);
  const known = completed
    ? {
        ...(completed.version ? { version: completed.version } : {}),
        ...(completed.cipher ? { cipher: completed.cipher } : {}),
      }
    : {};
  if (run.code === 0) {
    return {
      outcome: 'connected',
      ...known,
      ...(completed ? {} : { error: 'exit 0, but the server saw no completed handshake' }),
    };
  }
  if (completed)
    return {
      outcome: 'connected',
      ...known,
      error: `exit ${run.code} after the server completed the handshake: ${said}`,
    };
  if (run.timedOut) return { outcome: 'timeout', error: `killed after the handshake timeout: ${said}` };
  const failure = [...serverSaw].reverse().find((s) => !s.completed);
  const exit = `exit ${run.code ?? run.signal}`;
  if (!failure) return { outcome: 'error', error: `${exit}; the server saw no TLS handshake: ${said}` };
  const seen = classifyTlsText(failure.code ?? failure.error ?? '');
  // An alert the client sent, such as internal_error when OpenSSL 3 refuses a legacy
  // signature, is its TLS stack turning the handshake down; certificate alerts are not.
  const alert = seen.outcome === 'error' && /ALERT/.test(failure.code ?? '');
  return {
    outcome: alert ? 'refused' : seen.outcome,
    ...(failure.code ? { reason: failure.code } : {}),
    error: `${exit}: ${said}`,
  };
}
