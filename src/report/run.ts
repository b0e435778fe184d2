/**
 * What a report is evidence for: the repository, commit, ref, run, job and runner image the
 * Actions runner describes in its environment, and this action's own ref and version. Read
 * once by the entry point; every field is null outside Actions (or where the runner omits it).
 */

/** This action's version (package.json's; test/report/run.test.ts keeps them equal). */
export const ACTION_VERSION = '0.1.0';

export interface RunContext {
  repository: string | null;
  sha: string | null;
  ref: string | null;
  /** The workflow file, as the runner names it: owner/repo/.github/workflows/x.yml@ref. */
  workflowRef: string | null;
  runId: string | null;
  runAttempt: string | null;
  runUrl: string | null;
  job: string | null;
  /**
   * The run's name (the label input: a matrix leg's values, or the user's words); absent in a
   * report written before it existed. buildReport derives one from the runtime when none is given.
   */
  label?: string | null;
  runner: {
    os: string | null;
    arch: string | null;
    name: string | null;
    /** The hosted image (ImageOS, ImageVersion), as actions/setup-python reads it. */
    image: string | null;
    imageVersion: string | null;
  };
  action: { repository: string | null; ref: string | null; version: string };
}

export function runContext(env: NodeJS.ProcessEnv = process.env, label?: string): RunContext {
  const get = (name: string) => env[name] || null;
  const server = get('GITHUB_SERVER_URL');
  const repository = get('GITHUB_REPOSITORY');
  const runId = get('GITHUB_RUN_ID');
  return {
    repository,
    sha: get('GITHUB_SHA'),
    ref: get('GITHUB_REF'),
    workflowRef: get('GITHUB_WORKFLOW_REF'),
    runId,
    runAttempt: get('GITHUB_RUN_ATTEMPT'),
    runUrl: server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : null,
    job: get('GITHUB_JOB'),
    label: label ?? null,
    runner: {
      os: get('RUNNER_OS'),
      arch: get('RUNNER_ARCH'),
      name: get('RUNNER_NAME'),
      image: get('ImageOS'),
      imageVersion: get('ImageVersion'),
    },
    action: { repository: get('GITHUB_ACTION_REPOSITORY'), ref: get('GITHUB_ACTION_REF'), version: ACTION_VERSION },
  };
}

/** The workflow file inside the repository (.github/workflows/x.yml), from the runner's workflow ref. */
export function workflowPath(run: RunContext | undefined): string | null {
  const m = /^[^/]+\/[^/]+\/(.+?)@/.exec(run?.workflowRef ?? '');
  return m?.[1] ?? null;
}

/** The run in one line: repository@commit (ref) · run (link) · job · runner · action. */
export function runLine(run: RunContext | undefined): string {
  if (!run) return '';
  const sha = run.sha?.slice(0, 12);
  const where = run.repository ? `\`${run.repository}${sha ? `@${sha}` : ''}\`${run.ref ? ` (${run.ref})` : ''}` : '';
  const runText = run.runId
    ? `run ${run.runId}${run.runAttempt && run.runAttempt !== '1' ? `.${run.runAttempt}` : ''}`
    : '';
  const runPart = runText && run.runUrl ? `[${runText}](${run.runUrl})` : runText;
  const { os, arch, image, imageVersion } = run.runner;
  const runner = [os, arch, image, imageVersion].filter(Boolean).join(' ');
  const action = `tls-floor ${run.action.ref ? `${run.action.ref} ` : ''}(${run.action.version})`;
  return [where, runPart, run.job ? `job \`${run.job}\`` : '', runner, action].filter(Boolean).join(' · ');
}
