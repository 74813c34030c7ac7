import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  os: string;
  sqlite: string;
  mariadb: string;
  innodbBufferPoolMiB: number | null;
  packages: Record<string, string>;
  date: string;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export function describeMachine(sqlite: string, mariadb: string, innodbBufferPoolMiB: number | null): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(cpuinfo)?.[1]?.trim();
  // Virtual machines often show only the brand ("AMD EPYC"); family/model say which generation.
  const cpu = `${field('model name') ?? 'unknown'} (family ${field('cpu family') ?? '?'}, model ${field('model') ?? '?'})`;
  let os: string = process.platform;
  try {
    os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // not Linux
  }
  return {
    cores: availableParallelism(),
    cpu,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os,
    sqlite,
    mariadb,
    innodbBufferPoolMiB,
    packages: Object.fromEntries(['typeorm', 'better-sqlite3', 'mysql2'].map((p) => [p, packageVersion(p)])),
    date: new Date().toISOString(),
  };
}
