import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a timed run, from /proc (Linux): all cores busy vs idle, and
 * the MariaDB server's own CPU time. Everything else busy during the run (the bench's processes
 * aside) is other load on the machine, e.g. other test suites running at the same time.
 */
const TICK_MS = 10; // USER_HZ = 100 on Linux (getconf CLK_TCK)

export interface CpuSnapshot {
  at: number;
  /** Busy and total CPU time summed over all cores (ms). */
  busyMs: number;
  totalMs: number;
  /** mariadbd's user + system time (ms), null when not found (another host, no /proc). */
  mariadbMs: number | null;
}

function readProcStat(): { busyMs: number; totalMs: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
  } catch {
    return { busyMs: Number.NaN, totalMs: Number.NaN };
  }
}

let mariadbPid: string | null | undefined;

function findMariadb(): string | null {
  if (mariadbPid !== undefined) return mariadbPid;
  mariadbPid = null;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') {
          mariadbPid = pid;
          break;
        }
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return mariadbPid;
}

function processCpuMs(pid: string | null): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 is state: utime and stime are fields 14 and 15 of the whole line.
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return null;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  return { at: performance.now(), ...readProcStat(), mariadbMs: processCpuMs(findMariadb()) };
}

export interface CpuUse {
  wallMs: number;
  /** Cores busy on average over the run (all processes). */
  busyCores: number;
  /** mariadbd's share, in cores. */
  mariadbCores: number | null;
}

export function cpuUse(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const wallMs = b.at - a.at;
  return {
    wallMs,
    busyCores: (b.busyMs - a.busyMs) / wallMs,
    mariadbCores: a.mariadbMs === null || b.mariadbMs === null ? null : (b.mariadbMs - a.mariadbMs) / wallMs,
  };
}
