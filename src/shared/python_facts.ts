import { readFileSync } from 'node:fs';

// ncc copies the script into dist/ and rewrites this URL; in src/ it sits beside this file.
const FACTS_URL = new URL('./python_facts.py', import.meta.url);

/**
 * The script that says what a Python interpreter is (python_facts.py): definitions only. The
 * probe sends it ahead of its client script; the build's verification follows it with
 * `facts_main()`. One script, so the probe's report and the verification see the same facts.
 */
export function pythonFactsScript(): string {
  return readFileSync(FACTS_URL, 'utf8');
}

/** What runtime_info() says of the interpreter (the probe report's `runtime`). */
export interface PythonRuntime {
  implementation: string;
  version: string;
  executable: string;
  opensslVersion: string;
  has: Record<string, boolean | null>;
  sslModule: string | null;
  /** libssl/libcrypto mapped into the process (/proc/self/maps); null where there is none. */
  libssl: string[] | null;
  /** A free-threaded build (sysconfig Py_GIL_DISABLED == 1); absent from an older script's facts. */
  freeThreaded?: boolean;
  /** sys._is_gil_enabled() (true before 3.13, which has no such call). */
  gilEnabled?: boolean;
}

/** What facts() says: also what the build's verification needs. */
export interface PythonFacts extends PythonRuntime {
  /** The files of _ssl and _hashlib (for ldd/otool). */
  extensionFiles: string[];
  verifyPaths: Record<string, string | null>;
  defaultCaCount: number;
  /** Of the optional modules asked about, those that do not import. */
  missingModules: string[];
  /**
   * The ClientHello the library itself wrote into a memory BIO (hex), or why it wrote none:
   * `all` for its whole version range (min MINIMUM_SUPPORTED, which OpenSSL takes as its own
   * lowest), and each version alone ('SSLv3', 'TLSv1' ... 'TLSv1.3'). Every cipher at @SECLEVEL=0.
   */
  helloes: Record<string, { hello?: string; error?: string }>;
}
