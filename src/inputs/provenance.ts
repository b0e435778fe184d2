import { clip, InputError } from '../shared/errors.js';
import { tokenInput } from './setup_python.js';

type Read = (name: string) => string;

/**
 * verify-provenance: true (the repository the action was loaded from) or owner/repo, with the
 * token input (default: the workflow's token) that gh uses for it; false or empty: no check.
 */
export function provenanceInput(read: Read): { provenance?: { repo: string; token?: string } } {
  const raw = read('verify-provenance').trim();
  const token = tokenInput(read);
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
