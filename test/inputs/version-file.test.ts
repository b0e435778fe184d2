import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// python-version-file as a hostile pull request or a careless user would write it: a path out
// of the workspace, a link to /proc or a device, a FIFO, a huge or binary file, a value that
// would print the environment. Each is one short line that names the input, and nothing of
// what lies outside the workspace is read or echoed.
const workspace = temporaryFolder('tls-floor-hostile-workspace-');
const outside = temporaryFolder('tls-floor-outside-');
let saved: string | undefined;

beforeAll(() => {
  saved = process.env['GITHUB_WORKSPACE'];
  process.env['GITHUB_WORKSPACE'] = workspace;
});
afterAll(() => {
  if (saved === undefined) delete process.env['GITHUB_WORKSPACE'];
  else process.env['GITHUB_WORKSPACE'] = saved;
});

/** readInputs with only python-version-file (and what else is given), sync or async alike. */
const read = (file: string, more: Record<string, string> = {}) =>
  (async () => readInputs((name) => ({ 'python-version-file': file, ...more })[name] ?? ''))();

/** The refusal's message, which must be one short line. */
async function refusal(file: string): Promise<string> {
  const error = (await read(file).then(
    () => undefined,
    (e: unknown) => e,
  )) as Error | undefined;
  expect(error, `${file} was accepted`).toBeInstanceOf(Error);
  const message = error!.message;
  expect(message.split('\n')).toHaveLength(1);
  expect(message.length, message.slice(0, 400)).toBeLessThan(400);
  // No control character and nothing that is not text reaches the log.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped (or must not appear)
  expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/);
  return message;
}

const put = (name: string, content: string | Buffer) => {
  const full = path.join(workspace, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
  return name;
};

describe('python-version-file is read only inside the workspace', () => {
  it('a relative path out of the workspace (../../../etc/passwd) is refused unread', async () => {
    const message = await refusal('../../../../../../etc/passwd');
    expect(message).toMatch(/^python-version-file: .* is outside the workspace/);
    expect(message).not.toMatch(/root:/);
  });

  it('an absolute path outside the workspace is refused unread', async () => {
    writeFileSync(path.join(outside, '.python-version'), '3.12\n');
    expect(await refusal(path.join(outside, '.python-version'))).toMatch(
      /^python-version-file: .* is outside the workspace/,
    );
  });

  it('a committed link to /proc/self/environ is refused, and no environment value is echoed', async () => {
    symlinkSync('/proc/self/environ', path.join(workspace, 'environ-link'));
    const message = await refusal('environ-link');
    expect(message).toMatch(
      /^python-version-file: environ-link resolves to \/proc\/(self|\d+)\/environ, outside the workspace/,
    );
    expect(message).not.toContain(process.env['PATH']!.slice(0, 20));
  });

  it('a link to a file outside the workspace is refused; a link inside it is followed', async () => {
    writeFileSync(path.join(outside, 'secret'), '3.12\n');
    symlinkSync(path.join(outside, 'secret'), path.join(workspace, 'out-link'));
    expect(await refusal('out-link')).toMatch(/outside the workspace/);
    put('pins/real-version', '3.12\n');
    symlinkSync('pins/real-version', path.join(workspace, 'in-link'));
    expect((await read('in-link')).build.python.spec).toBe('3.12');
  });

  it('a link to /dev/zero is refused unread (outside the workspace)', async () => {
    symlinkSync('/dev/zero', path.join(workspace, 'zero-link'));
    expect(await refusal('zero-link')).toMatch(/outside the workspace/);
  });
});

describe('python-version-file is a regular file of bounded size, read without blocking', () => {
  it('a FIFO in the workspace is refused at once (no reader waits for a writer)', async () => {
    execFileSync('mkfifo', [path.join(workspace, 'fifo')]);
    const started = performance.now();
    const message = await refusal('fifo');
    expect(message).toMatch(/^python-version-file: fifo is a FIFO, not a regular file/);
    console.log(`FIFO refused in ${(performance.now() - started).toFixed(1)} ms`);
  }, 10_000);

  it('a folder is refused as not a regular file', async () => {
    mkdirSync(path.join(workspace, 'a-folder'));
    expect(await refusal('a-folder')).toMatch(/^python-version-file: a-folder is a directory, not a regular file/);
  });

  it('a 50 MB version file is refused by its size, unread', async () => {
    const big = path.join(workspace, 'big', '.python-version');
    mkdirSync(path.dirname(big));
    writeFileSync(big, '3.12\n');
    truncateSync(big, 50 * 1024 * 1024);
    const started = performance.now();
    const message = await refusal('big/.python-version');
    console.log(`50 MB version file refused in ${(performance.now() - started).toFixed(1)} ms`);
    expect(message).toBe(
      'python-version-file: big/.python-version is 52428800 bytes; a version file is at most 65536 bytes (64 KiB).',
    );
  });

  it('a file of exactly 64 KiB is read; one byte more is refused', async () => {
    const line = '3.12\n';
    put('limit/.python-version', `${line}${'#'.repeat(64 * 1024 - line.length - 1)}\n`);
    expect((await read('limit/.python-version')).build.python.spec).toBe('3.12');
    put('over/.python-version', `${line}${'#'.repeat(64 * 1024 - line.length)}\n`);
    expect(await refusal('over/.python-version')).toMatch(/is 65537 bytes; a version file is at most 65536 bytes/);
  });

  it('a binary file is refused as not text, without echoing its bytes', async () => {
    put('bin/.python-version', Buffer.from([0x33, 0x2e, 0x31, 0x32, 0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d]));
    expect(await refusal('bin/.python-version')).toBe(
      'python-version-file: bin/.python-version is not text (a version file is UTF-8 without NUL bytes).',
    );
  });
});

describe("a version file's content is clipped and escaped in errors", () => {
  it('a 60 KB first line gives one short line', async () => {
    put('long/.python-version', `${'x'.repeat(60_000)}\n`);
    const message = await refusal('long/.python-version');
    expect(message).toMatch(/^python-version-file: 'x{20,120}\.\.\. \(60000 characters\)' is not a CPython version/);
  });

  it('a token-like line with terminal escapes is shown escaped and clipped', async () => {
    put('esc/.python-version', `3.13\u001b[31m${'T'.repeat(5000)}\n`);
    const message = await refusal('esc/.python-version');
    expect(message).toMatch(/^python-version-file: /);
    expect(message).toContain('\\x1b');
    expect(message).not.toContain('T'.repeat(200));
  });

  it('a huge .tool-versions python entry and a huge requires-python are clipped', async () => {
    put('tv/.tool-versions', `python ${'y'.repeat(50_000)}\n`);
    expect(await refusal('tv/.tool-versions')).toMatch(/^python-version-file: python 'y+\.\.\. \(50000 characters\)'/);
    put('pp/pyproject.toml', `[project]\nrequires-python = ">=${'9'.repeat(50_000)}"\n`);
    expect(await refusal('pp/pyproject.toml')).toMatch(
      /^python-version-file: requires-python '>=9+\.\.\. \(50002 characters\)'/,
    );
  });

  it('3 followed by 100,000 digits in a version file is refused by its shape, in bounded time', async () => {
    put('digits/.python-version', `3${'1'.repeat(60_000)}\n`);
    const started = performance.now();
    const message = await refusal('digits/.python-version');
    console.log(`a 60,001-digit version in a file refused in ${(performance.now() - started).toFixed(1)} ms`);
    expect(message).toMatch(
      /^python-version-file: '3111.*\.\.\. \(60001 characters\)' is 60001 characters; a version or range is at most 128 characters/,
    );
  });
});
