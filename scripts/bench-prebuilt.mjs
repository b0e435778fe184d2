// npm run bench -- prebuilt
// The first run from the in-tree index beside a cold build, both measured in this run: the
// publish rehearsal (scripts/publish-rehearsal.mjs) builds the cell cold with create-archive,
// publishes it into a copy of the action's tree (runtimes/index.json, the archive on
// 127.0.0.1), and that copy's bundle runs with only python-version: '3.13' on an empty tool
// cache elsewhere. Printed: both times, their ratio, where the first run's seconds go (from its
// own log), the archive's size and compression, the same first run repeated on fresh tool caches
// (the spread), and the machine's load. TLS_FLOOR_REHEARSAL_ARCHIVE=<archive> skips the cold
// build (then no ratio is printed).
import os from 'node:os';
import { cleanUp, rehearse } from './publish-rehearsal.mjs';

/** First runs from the in-tree index, each on an empty tool cache (TLS_FLOOR_BENCH_FIRST_RUNS, default 4). */
const FIRST_RUNS = Number(process.env['TLS_FLOOR_BENCH_FIRST_RUNS'] ?? 4);

/** The timed lines of a run's log: the groups ("Install and verify ...: 1.2 s"), their parts, the probe. */
function breakdown(stdout) {
  const lines = stdout.split('\n');
  const timed = [];
  for (const [i, line] of lines.entries()) {
    const group =
      /^(Look up the runtime index|Download and verify the runtime archive|Install and verify the runtime archive): ([\d.]+ s)$/.exec(
        line,
      );
    if (group) timed.push(`${group[1]}: ${group[2]}${parts(lines, i)}`);
    const probe = /^probe finished in (\d+) ms$/.exec(line);
    if (probe) timed.push(`probe: ${(Number(probe[1]) / 1000).toFixed(2)} s`);
  }
  return timed;
}

/** The "download 0.1 s, checksum 0.1 s" line a group printed just before its total. */
const parts = (lines, i) => {
  const previous = lines[i - 1] ?? '';
  return /^[a-z][a-z ]+ [\d.]+ s(, |$| \()/.test(previous) ? ` (${previous})` : '';
};

export async function main() {
  console.log('prebuilt benchmark: the publish rehearsal, cold build first (minutes)');
  const result = await rehearse({ say: (line) => console.log(`  ${line}`), firstRuns: FIRST_RUNS });
  try {
    const { cold, first, firsts, reused, cell, index } = result;
    console.log(`prebuilt benchmark: CPython ${cell.python} + OpenSSL ${cell.openssl}, floor ${cell.floor}`);
    const entry = index.runtimes[0];
    if (entry) console.log(`  archive: ${(entry.bytes / 1048576).toFixed(1)} MiB, ${entry.compression ?? 'gzip'}`);
    const cpu = (run) =>
      run.cpu ? `, CPU ${run.cpu.user.toFixed(2)} s user + ${run.cpu.sys.toFixed(2)} s system` : '';
    if (!reused)
      console.log(
        `  cold source build (empty tool cache, runtime-source ${cold.outputs['runtime-source']}): ${cold.secs.toFixed(1)} s${cpu(cold)}`,
      );
    console.log(
      `  first run from the in-tree index (python-version 3.13, empty tool cache elsewhere, runtime-source ${first.outputs['runtime-source']}): ${first.secs.toFixed(2)} s, verdict ${first.outputs.verdict}${cpu(first)} (target <= 2 s: ${first.secs <= 2 ? 'met' : 'NOT met'})`,
    );
    for (const line of breakdown(first.stdout)) console.log(`    ${line}`);
    console.log(
      `    the rest (Node.js start, inputs, the index choice, report, publish): ${(first.secs - sum(breakdown(first.stdout))).toFixed(2)} s`,
    );
    if (!reused) console.log(`  ratio: ${(cold.secs / first.secs).toFixed(0)}x`);
    // The same first run again, each on an empty tool cache of its own: the spread.
    for (const [i, run] of firsts.slice(1).entries()) {
      const unpack = /unpack ([\d.]+ s)/.exec(run.stdout)?.[1] ?? '?';
      console.log(`  again (${i + 2} of ${firsts.length}): ${run.secs.toFixed(2)} s${cpu(run)}, unpack ${unpack}`);
    }
    console.log(
      `  load average (1, 5, 15 min) ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')} on ${os.availableParallelism()} CPUs`,
    );
  } finally {
    cleanUp(result);
  }
}

/** The seconds of the top-level lines (groups and the probe; their parts are inside them). */
const sum = (lines) => lines.reduce((total, line) => total + Number(/: ([\d.]+) s/.exec(line)?.[1] ?? 0), 0);
