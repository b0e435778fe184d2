import { afterEach, describe, expect, it } from 'vitest';
import { PythonClient } from '../../src/probe/clients/python.js';
import { runProbe } from '../../src/probe/probe.js';
import { inspectRuntime } from '../../src/runtime/verify.js';
import { systemPython } from '../fixtures/interpreters.js';
import { childProcesses } from '../fixtures/processes.js';

// One script says what a Python interpreter is (src/shared/python_facts.py): the probe's
// report and the build's verification read the same facts.

afterEach(() => {
  expect(childProcesses()).toEqual([]);
});

describe('what an interpreter says of itself', () => {
  it('is the same in the probe report and in the verification', async () => {
    const python = systemPython();
    const [facts, observation] = await Promise.all([
      inspectRuntime(python),
      runProbe(new PythonClient(python), { floor: '1.3', handshakeTimeoutMs: 3000, probeTimeoutMs: 20_000 }),
    ]);
    const { runtime } = observation;
    expect(runtime.tlsLibrary).toBe(facts.opensslVersion);
    expect(runtime.version).toBe(`CPython ${facts.pythonVersion}`);
    expect(runtime.details['sslModule']).toBe(facts.sslModule);
    for (const name of ['HAS_SSLv3', 'HAS_TLSv1', 'HAS_TLSv1_1', 'HAS_TLSv1_2', 'HAS_TLSv1_3']) {
      expect(runtime.details[name], name).toBe(facts.has[name]);
    }
    if (process.platform === 'linux') {
      const loaded = runtime.details['loadedLibraries'] as string[];
      expect(loaded.length).toBeGreaterThan(0);
      expect(facts.tlsLibraries).toEqual(expect.arrayContaining(loaded));
    }
    expect(facts.defaultCaCount).toBeGreaterThan(0);
  });
});
