import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  inspectRuntime,
  missingModulesWarning,
  offersBelowFloor,
  VerificationError,
  verifyRuntime,
} from '../../src/runtime/verify.js';
import { systemPython, wrappedPython } from '../fixtures/interpreters.js';
import { optional, requireTool } from '../fixtures/requirements.js';

// verifyRuntime reads what _ssl links with ldd (otool on macOS).
requireTool(process.platform === 'darwin' ? 'otool' : 'ldd');

const pythonVersionOf = async (python: string) => (await inspectRuntime(python)).pythonVersion;

describe('verifyRuntime', () => {
  it('catches a runtime whose _ssl uses another OpenSSL than the one expected', async () => {
    const python = systemPython();
    const error = await verifyRuntime(python, {
      pythonVersion: await pythonVersionOf(python),
      opensslVersion: '3.0.22',
      floor: '1.2',
      opensslPrefix: '/opt/hardened-openssl',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationError);
    const message = (error as Error).message;
    expect(message).toMatch(/ssl\.OPENSSL_VERSION is 'OpenSSL 3\.[^']*', not OpenSSL 3\.0\.22/);
    // The machine's OpenSSL 3.0 has TLS 1.0 and 1.1: its own ClientHello says so.
    expect(message).toMatch(/the library's ClientHello offers TLSv1\.1, TLSv1(?!\.)/);
    expect(message).toMatch(/asked for TLSv1 alone, the library wrote a ClientHello offering it/);
    if (process.platform === 'linux')
      expect(message).toMatch(/_ssl uses a TLS library other than the one built: .*libssl\.so/);
    // The stock runtime does have a trust store: that check must not fire here.
    expect(message).not.toMatch(/trust store is empty/);
    expect(message).not.toMatch(/the interpreter is CPython/);
  });

  it('reads the CPython version from the interpreter: a runtime labelled with another version is refused', async () => {
    const python = systemPython();
    const real = await pythonVersionOf(python);
    const [major, minor, patch] = real.split('.').map(Number) as [number, number, number];
    const label = `${major}.${minor}.${patch + 1}`;
    const error = await verifyRuntime(python, { pythonVersion: label, opensslVersion: '3.0.22', floor: '1.2' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as Error).message).toContain(`the interpreter is CPython ${real}, not ${label}`);
  });

  it('a free-threaded request refuses a GIL interpreter; a GIL request does not see a threading problem in it', async () => {
    const python = systemPython(); // a GIL build (3.11 here: no sys._is_gil_enabled at all)
    const expected = { pythonVersion: await pythonVersionOf(python), opensslVersion: '3.0.22', floor: '1.2' as const };
    expect(await inspectRuntime(python)).toMatchObject({ freeThreaded: false, gilEnabled: true });
    const asFree = await verifyRuntime(python, { ...expected, freethreaded: true }).catch((e: unknown) => e);
    expect((asFree as Error).message).toContain('it is not a free-threaded build (Py_GIL_DISABLED is not 1)');
    const asGil = await verifyRuntime(python, expected).catch((e: unknown) => e);
    expect((asGil as Error).message).not.toMatch(/free-threaded|GIL/);
  });

  it('rests on the ClientHello the library writes, not on ssl.HAS_*: constants saying False do not pass a library that offers TLS 1.0', async () => {
    const python = wrappedPython(
      'python-has-lies',
      'import sys, ssl; ssl.HAS_SSLv3 = ssl.HAS_TLSv1 = ssl.HAS_TLSv1_1 = ssl.HAS_TLSv1_2 = False',
    );
    const seen = await inspectRuntime(python);
    expect(seen.has).toMatchObject({ HAS_TLSv1: false, HAS_TLSv1_1: false, HAS_TLSv1_2: false });
    expect(seen.libraryOffers.all).toEqual(expect.arrayContaining(['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1']));
    expect(seen.libraryOffers.alone['TLSv1']).toEqual(['TLSv1']);
    expect(seen.libraryOffers.alone['SSLv3']).toEqual({ none: expect.stringMatching(/no protocols available/i) });
    const error = await verifyRuntime(python, {
      pythonVersion: seen.pythonVersion,
      opensslVersion: /OpenSSL (\S+)/.exec(seen.opensslVersion)![1]!,
      floor: '1.2',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/the library's ClientHello offers TLSv1\.1, TLSv1(?!\.)/);
    expect((error as Error).message).not.toMatch(/HAS_/);
  });

  it('what the helloes say against the floor (recorded offers of a hardened OpenSSL 3.5 and of OpenSSL 4 on CPython 3.15)', () => {
    const none = { none: 'SSLError: [SSL: NO_PROTOCOLS_AVAILABLE] no protocols available (_ssl.c:1032)' };
    const hardened = {
      all: ['TLSv1.3', 'TLSv1.2'],
      alone: { SSLv3: none, TLSv1: none, 'TLSv1.1': none, 'TLSv1.2': ['TLSv1.2'], 'TLSv1.3': ['TLSv1.3'] },
    };
    expect(offersBelowFloor(hardened, '1.2')).toEqual([]);
    expect(offersBelowFloor(hardened, '1.3')).toEqual([
      "the library's ClientHello offers TLSv1.2",
      'asked for TLSv1.2 alone, the library wrote a ClientHello offering it',
    ]);
    // A library that lacks TLS 1.1 but has TLS 1.0 ends its whole range at 1.2: alone tells.
    const holed = { ...hardened, alone: { ...hardened.alone, TLSv1: ['TLSv1'] } };
    expect(offersBelowFloor(holed, '1.2')).toEqual([
      'asked for TLSv1 alone, the library wrote a ClientHello offering it',
    ]);
    // A check that cannot produce the floor's hello tells nothing, and says so.
    const mute = { all: { none: 'ValueError: x' }, alone: { ...hardened.alone, 'TLSv1.2': { none: 'ValueError: x' } } };
    expect(offersBelowFloor(mute, '1.2')).toEqual([
      'the library wrote no ClientHello for its whole range: ValueError: x',
      'asked for TLSv1.2 alone, the library wrote no ClientHello offering it (ValueError: x): the check tells nothing',
    ]);
  });

  it('reports a Python without ssl plainly', async () => {
    const { pythonWithoutSsl } = await import('../fixtures/interpreters.js');
    // The wrapper runs our check after blocking ssl.
    await expect(
      verifyRuntime(pythonWithoutSsl(), { pythonVersion: '3.11.2', opensslVersion: '3.0.22', floor: '1.2' }),
    ).rejects.toThrow(/import ssl failed/);
  });

  it('lists the standard-library modules that did not build, and says what to install', async () => {
    const facts = await inspectRuntime(
      wrappedPython('python-no-ctypes', "import sys; sys.modules['_ctypes'] = None; sys.modules['_sqlite3'] = None"),
    );
    expect(facts.missingModules).toEqual(expect.arrayContaining(['_ctypes', '_sqlite3']));
    expect(missingModulesWarning(['_ctypes', '_sqlite3'])).toBe(
      'CPython was built without _ctypes, _sqlite3: the build machine lacks their headers. Install them before this step and rebuild (Debian/Ubuntu: apt-get install libffi-dev libsqlite3-dev).',
    );
    expect(missingModulesWarning([])).toBeUndefined();
  });
});

// Every CPython the table builds (3.9 up) has TLSVersion and MemoryBIO; pyenv's 3.7 up too.
const PYENV = path.join(homedir(), '.pyenv', 'versions');
const pyenvPythons = existsSync(PYENV)
  ? readdirSync(PYENV)
      .filter((v) => /^3\.(\d+)\./.test(v) && Number(v.split('.')[1]) >= 7)
      .map((v) => path.join(PYENV, v, 'bin', 'python3'))
  : [];

describe.skipIf(!optional('pyenv', 'no pyenv CPython 3.7+ here', pyenvPythons.length > 0))(
  "the library's helloes from pyenv's interpreters (stock OpenSSL 3.0: TLS 1.0 to 1.3)",
  () => {
    it.each(pyenvPythons)('%s', async (python) => {
      const offers = (await inspectRuntime(python)).libraryOffers;
      expect(offers.all).toEqual(expect.arrayContaining(['TLSv1.3', 'TLSv1.2']));
      for (const v of ['TLSv1.2', 'TLSv1.3']) expect(offers.alone[v]).toEqual([v]);
      expect(offersBelowFloor(offers, '1.3')[0]).toMatch(/^the library's ClientHello offers TLSv1\.2/);
    });
  },
);
