import { findPrebuilt, type RuntimeIndexInput } from '../prebuilt.js';
import { type FetchedArchive, fetchArchive, installArchive } from './archive_install.js';
import type { RuntimeSource } from './contract.js';

type Listed = NonNullable<Awaited<ReturnType<typeof findPrebuilt>>>;

/** runtime-index (prebuilt.ts): an entry that matches a plan exactly installs like an archive; a miss passes on. */
export function runtimeIndex(index: RuntimeIndexInput): RuntimeSource<Listed, FetchedArchive> {
  return {
    name: 'prebuilt',
    proves:
      'its bytes and size are the ones the index lists for this exact plan (and attested, with provenance); its manifest holds that plan',
    writes: true,
    async find(wanted) {
      return findPrebuilt(index, await wanted.plans());
    },
    fetch: (listed, wanted) =>
      fetchArchive(
        listed,
        {
          subject: 'index',
          digestSubject: 'index',
          bytes: listed.bytes,
          plan: listed.plan,
          compression: listed.compression,
        },
        wanted.build,
      ),
    install: (fetched, wanted) => installArchive(fetched, wanted.build, wanted.floor, 'prebuilt'),
  };
}
