import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPython, sslImportFailure } from '../../src/runtime/cpython.js';
import type { BuildPlan } from '../../src/runtime/model/plan.js';
import { ROOT } from '../fixtures/action.js';
import { captureLog } from '../fixtures/log.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// CPython 3.13.15 against OpenSSL 4.0.2 compiles, then its _ssl does not import (OpenSSL 4 has no
// SSLv3_method) and the build goes on. The excerpt is recorded: `make` of CPython 3.13.15 with
// the action's configure options against OpenSSL 4.0.2 built with its hardened options
// (2026-12-01), the end of that step's output (Tools/build/check_extension_modules.py).
const EXCERPT = readFileSync(path.join(ROOT, 'test', 'fixtures', 'build-logs', 'cpython-3.13-openssl-4.txt'), 'utf8');

describe("CPython's _ssl that did not import", () => {
  it("is named from the build log: the undefined symbol and CPython's own line", () => {
    expect(sslImportFailure(EXCERPT)).toBe(
      "CPython's _ssl was built but does not import (undefined symbol: SSLv3_method); the build log says: [ERROR] _ssl failed to import: /tmp/o4py313/Python-3.13.15/build/lib.linux-x86_64-3.13/_ssl.cpython-313-x86_64-linux-gnu.so: undefined symbol: SSLv3_method",
    );
    expect(
      sslImportFailure(
        'Checked 112 modules (33 built-in, 61 shared, 1 n/a on linux-x86_64, 15 disabled, 2 missing, 0 failed on import)\n',
      ),
    ).toBeUndefined();
    expect(sslImportFailure('Could not build the ssl module!\n')).toMatch(/did not build its ssl module/);
  });

  it('make install failing after it: the error says why, before what failed', async () => {
    // A source tree whose ./configure succeeds and a make that prints the excerpt (the build
    // step) and then fails at install as the recorded run did: sharedinstall cannot find the
    // _ssl that check_extension_modules.py renamed away.
    const dir = temporaryFolder('tls-floor-cpython-log-');
    const src = path.join(dir, 'Python-3.13.15');
    const bin = path.join(dir, 'bin');
    mkdirSync(src);
    mkdirSync(bin);
    writeFileSync(path.join(dir, 'excerpt.txt'), EXCERPT);
    writeFileSync(path.join(src, 'configure'), '#!/bin/sh\necho configured\n');
    writeFileSync(
      path.join(bin, 'make'),
      `#!/bin/sh\nif [ "$1" = install ]; then echo "/usr/bin/install: cannot stat 'Modules/_ssl.cpython-313-x86_64-linux-gnu.so': No such file or directory"; echo "make: *** [Makefile:2317: sharedinstall] Error 1"; exit 2; fi\ncat '${dir}/excerpt.txt'\n`,
    );
    chmodSync(path.join(src, 'configure'), 0o755);
    chmodSync(path.join(bin, 'make'), 0o755);
    const plan = {
      jobs: 2,
      python: {
        source: { name: 'python', version: '3.13.15', url: 'http://127.0.0.1/Python-3.13.15.tar.xz' },
        options: [],
      },
    } as unknown as BuildPlan;
    const ctx = {
      srcDir: src,
      logFile: path.join(dir, 'build.log'),
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH']}` },
    };
    const { error } = await captureLog(() => buildPython(plan, path.join(dir, 'prefix'), path.join(dir, 'ssl'), ctx));
    expect((error as Error).message).toMatch(
      /^CPython's _ssl was built but does not import \(undefined symbol: SSLv3_method\); the build log says: \[ERROR\] _ssl failed to import: .*; 'make install' failed with exit code 2 after \d+\.\d s; full log: /,
    );
    expect(childProcesses()).toEqual([]);
  });
});
