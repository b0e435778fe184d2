import { readFileSync } from 'node:fs';
import os from 'node:os';
import { runProcess } from '../../shared/process.js';

export interface Platform {
  os: 'linux' | 'darwin';
  /** e.g. 'ubuntu-24.04', 'debian-12', 'macos-15.1': part of every cache identity. */
  osRelease: string;
  arch: 'x64' | 'arm64';
}

/** Linux x86-64/arm64 first, macOS where the tools allow; anything else is refused. */
export async function detectPlatform(): Promise<Platform> {
  const platform = process.platform;
  const arch = process.arch;
  if ((platform !== 'linux' && platform !== 'darwin') || (arch !== 'x64' && arch !== 'arm64')) {
    throw new Error(
      `building a hardened runtime is not supported on ${platform}/${arch}: Linux and macOS on x64 or arm64 only. Probe an existing interpreter with python-path instead.`,
    );
  }
  return { os: platform, osRelease: platform === 'linux' ? linuxRelease() : await macRelease(), arch };
}

function linuxRelease(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
    return `${field('ID') ?? 'linux'}-${field('VERSION_ID') ?? os.release()}`;
  } catch {
    return `linux-${os.release()}`;
  }
}

async function macRelease(): Promise<string> {
  const run = await runProcess('sw_vers', ['-productVersion'], { timeoutMs: 10_000 }).catch(() => undefined);
  const version = run?.code === 0 ? run.stdout.trim() : '';
  return `macos-${version || os.release()}`;
}
