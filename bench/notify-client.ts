import { Agent, request } from 'node:http';
import type { SignedRequest } from './notify-fixture';

/**
 * The load generator: `concurrency` loops over one keep-alive node:http Agent (so at most
 * `concurrency` sockets, each reused), each posting the next request as soon as its previous one
 * is answered. Latency = request start → last byte of the answer.
 */
export interface LoadResult {
  /** Requests sent (all of them, unless the deadline came first). */
  sent: number;
  wallMs: number;
  /** Per request sent, in the order of `requests`. */
  latencyMs: Float64Array;
  status: Uint16Array;
  /** Requests whose answer was exactly WeChat's success body. */
  successBodies: number;
  /** Client process CPU time over the run (ms). */
  clientCpuMs: number;
  socketsUsed: number;
}

const SUCCESS_BODY = JSON.stringify({ code: 'SUCCESS', message: '成功' });

/** The index of the next request to send; the caller may read it (e.g. to re-sign what is not sent yet). */
export interface LoadCursor {
  next: number;
}

/**
 * Posts `requests` in order; an entry may be replaced while the run goes on (it is read when sent).
 * With `budgetMs`, no new request starts after that much time (those in flight finish): a slow
 * system is measured on a prefix of the stream instead of holding the whole bench up.
 */
export async function postAll(url: string, requests: readonly SignedRequest[], concurrency: number, opts: { cursor?: LoadCursor; budgetMs?: number } = {}): Promise<LoadResult> {
  const cursor = opts.cursor ?? { next: 0 };
  const budgetMs = opts.budgetMs ?? Number.POSITIVE_INFINITY;
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const sockets = new Set<unknown>();
  const latencyMs = new Float64Array(requests.length);
  const status = new Uint16Array(requests.length);
  let successBodies = 0;
  cursor.next = 0;

  const one = (r: SignedRequest) =>
    new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...r.headers, 'content-length': String(r.body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('socket', (s) => sockets.add(s));
      req.on('error', reject);
      req.end(r.body);
    });

  const loop = async () => {
    for (;;) {
      if (performance.now() - t0 > budgetMs) return;
      const i = cursor.next++;
      const r = requests[i];
      if (!r) return;
      const start = performance.now();
      const res = await one(r);
      latencyMs[i] = performance.now() - start;
      status[i] = res.code;
      done++;
      if (res.body === SUCCESS_BODY) successBodies++;
    }
  };

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  // Requests are taken in order, so the ones sent are exactly the first `done`.
  return { sent: done, wallMs, latencyMs: latencyMs.subarray(0, done), status: status.subarray(0, done), successBodies, clientCpuMs: (cpu.user + cpu.system) / 1000, socketsUsed: sockets.size };
}
