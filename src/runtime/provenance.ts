import { mention, Refusal } from '../shared/errors.js';
import { lastLine, runProcess } from '../shared/process.js';

/** The workflow that builds and attests the published runtimes, in the repository that publishes them. */
export const SIGNER_WORKFLOW = '.github/workflows/publish-runtimes.yml';

/**
 * verify-provenance: before a downloaded runtime archive is unpacked, its build-provenance
 * attestation (made by actions/attest-build-provenance in publish-runtimes.yml) must verify
 * with the gh CLI for the repository that published it and for that workflow
 * (--signer-workflow): the archive's digest was attested by a GitHub Actions run of
 * publish-runtimes.yml in that repository, signed through Sigstore, not by any other
 * workflow there. It does not prove what the build did: verification and the probe do that.
 * `token`: the action's token input, given to gh as GH_TOKEN.
 */
export async function verifyProvenance(file: string, url: string, repo: string, token?: string): Promise<void> {
  const args = ['attestation', 'verify', file, '--repo', repo, '--signer-workflow', `${repo}/${SIGNER_WORKFLOW}`];
  // The token input (default: the workflow's token) is gh's GH_TOKEN; without one, the step's own env.
  const env = token ? { ...process.env, GH_TOKEN: token } : process.env;
  const run = await runProcess('gh', args, { timeoutMs: 120_000, env }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new Refusal(
        'provenance',
        'the gh CLI is not on PATH (GitHub-hosted runners carry it); install it, or set ',
        mention('provenance'),
        ': false.',
      );
    }
    throw error;
  });
  if (run.code !== 0) {
    const why = lastLine(run.stderr || run.stdout) ?? `exit ${run.code}`;
    throw new Refusal(
      'provenance',
      `the build provenance of ${url} does not verify for ${repo}: ${why}. Nothing was extracted or cached.`,
    );
  }
}
