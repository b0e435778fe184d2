import {
  type ArchiveOrigin,
  type ArchiveSource,
  type FetchedArchive,
  fetchArchive,
  installArchive,
} from './archive_install.js';
import type { RuntimeSource } from './contract.js';

const GIVEN: ArchiveOrigin = { subject: 'archive', digestSubject: 'archive-checksum' };

/** runtime-archive-url: the one archive given, with its pinned checksum; when given, the only source. */
export function archiveUrl(archive: ArchiveSource): RuntimeSource<ArchiveSource, FetchedArchive> {
  return {
    name: 'archive',
    proves:
      'its bytes are the ones runtime-archive-sha256 pins (and attested, with provenance); its manifest names exactly the entries this action would make',
    writes: true,
    async find() {
      return archive;
    },
    fetch: (given, wanted) => fetchArchive(given, GIVEN, wanted.build),
    install: (fetched, wanted) => installArchive(fetched, wanted.build, wanted.floor, 'archive'),
  };
}
