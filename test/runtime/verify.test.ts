import { describe, expect, it } from 'vitest';
import { inspectRuntime, missingModulesWarning, VerificationError, verifyRuntime } from '../../src/runtime/verify.js';
import { systemPython, wrappedPython } from '../fixtures/interpreters.js';
import { requireTool } from '../fixtures/requirements.js';

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
    expect(message).toMatch(/ssl\.HAS_TLSv1 is true, must be False/);
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
