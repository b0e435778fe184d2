import { clip, InputError } from '../shared/errors.js';
import { tokenInput } from './setup_python.js';

type Read = (name: string) => string;

/** The rolling release publish-runtimes.yml uploads every published runtime's index to. */
export const LATEST_INDEX_RELEASE = 'runtimes-index';

/**
 * runtime-index: latest: the index publish-runtimes.yml keeps in the rolling release of the
 * repository the action was loaded from (docs/prebuilt.md#which-index-a-run-reads).
 */
export function latestIndex(): string {
  const repo = process.env['GITHUB_ACTION_REPOSITORY']?.trim();
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo))
    throw new InputError(
      "runtime-index: latest reads the index the action's own repository publishes, and this step has none (uses: ./); give a URL or a path.",
    );
  const server = (process.env['GITHUB_SERVER_URL']?.trim() || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repo}/releases/download/${LATEST_INDEX_RELEASE}/index.json`;
}

export const isLatest = (read: Read) => read('runtime-index').trim().toLowerCase() === 'latest';

/**
 * verify-provenance: true (the repository the action was loaded from) or owner/repo, with the
 * token input (default: the workflow's token) that gh uses for it; false or empty: no check.
 * With runtime-index: latest (a moving index) every archive is verified, against the action's
 * own repository unless another is named.
 */
export function provenanceInput(read: Read): { provenance?: { repo: string; token?: string } } {
  const raw = read('verify-provenance').trim();
  const token = tokenInput(read);
  if (isLatest(read) && (raw === '' || /^(true|false)$/i.test(raw)))
    return {
      provenance: {
        repo: new URL(latestIndex()).pathname.split('/').slice(1, 3).join('/'),
        ...(token ? { token } : {}),
      },
    };
  if (raw === '' || raw.toLowerCase() === 'false') return {};
  const repo = raw.toLowerCase() === 'true' ? process.env['GITHUB_ACTION_REPOSITORY']?.trim() : raw;
  if (!repo)
    throw new InputError(
      'verify-provenance: true names the repository the action was loaded from, and this step has none (uses: ./); give owner/repo.',
    );
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
    throw new InputError(`verify-provenance: '${clip(raw)}' is not allowed; give true, false or owner/repo.`);
  const archive = read('runtime-archive-url').trim() !== '';
  if (!archive && read('runtime-index').trim().toLowerCase() === 'none') {
    throw new InputError(
      'verify-provenance: there is no archive to verify (runtime-index is off and no runtime-archive-url is given); give one, or set verify-provenance: false.',
    );
  }
  return { provenance: { repo, ...(token ? { token } : {}) } };
}
