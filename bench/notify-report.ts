import type { LoadFigures, NotifySection } from './notify-ingest';
import { entry, type ResultEntry } from './report';

/** Section 3 of RESULTS.md, its findings and its results.json entries. */

export const NOTIFY_GOAL_PER_SECOND = 3000;

const en = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (x: number) => (x >= 100 ? `${en(x)} ms` : `${x.toFixed(x >= 10 ? 1 : 2)} ms`);
const cores = (x: number | null) => (x === null || !Number.isFinite(x) ? '?' : x.toFixed(2));
const perNotification = (cpuMs: number | null, n: number) => (cpuMs === null ? '—' : `${(cpuMs / n).toFixed(2)} ms`);
const verdict = (ok: boolean) => (ok ? '✅' : '❌');

function sentNote(f: LoadFigures): string {
  return f.requests === f.planned ? en(f.requests) : `${en(f.requests)} of ${en(f.planned)} (time budget)`;
}

export function notifyEntries(s: NotifySection): ResultEntry[] {
  const e = s.endToEnd;
  const out = [
    entry('mysql.notify.e2e.throughput vs bare verify+decrypt', e.perSecond, 'notifications/s', s.bare.perSecond),
    entry('mysql.notify.e2e.throughput vs raw single-row INSERT', e.perSecond, 'notifications/s', s.rawInsert.perSecond),
    entry('mysql.notify.e2e.throughput vs goal', e.perSecond, 'notifications/s', NOTIFY_GOAL_PER_SECOND),
    entry('mysql.notify.e2e.p50 vs bare verify+decrypt', e.p50, 'ms', s.bare.p50),
    entry('mysql.notify.e2e.p99 vs bare verify+decrypt', e.p99, 'ms', s.bare.p99),
  ];
  return out;
}

export function renderNotify(s: NotifySection): string[] {
  const out: string[] = [];
  const e = s.endToEnd;
  out.push('## 3. Notification ingest: WeChat Pay notifications into MariaDB through the payment server', '');
  out.push(
    `${en(s.notifications)} signed and encrypted WeChat Pay \`TRANSACTION.SUCCESS\` notifications — one per pending WeChat order (${en(s.unique)} orders) plus ${en(s.duplicates)} redeliveries`,
    `(${((s.duplicates / s.notifications) * 100).toFixed(0)}%: the same body, fresh timestamp, nonce and signature, as WeChat retries), shuffled — posted over loopback at concurrency ${s.concurrency}`,
    '(one keep-alive `node:http` Agent, 64 sockets). Bodies are built as the simulator builds them (`wechat-sim-notify.ts`): resource',
    'encrypted with AEAD_AES_256_GCM under the APIv3 key, the request signed SHA256withRSA with the platform key; test keys made for the run.',
    '**Ours** = `startPaymentServer` (hosts/server.ts) in its own process (an esbuild bundle of the server and the app on plain node, as a built server runs) on a MariaDB-backed `openApp` whose registry holds a',
    '`WechatPayGateway` with those keys: `POST /api/payment/callback/wechat` → `PaymentService.handleNotification` → verify + decrypt',
    '→ group commit (`GroupCommit` → `PaymentService.applyMany`): the notifications that arrived while earlier batches were being written are applied in ONE',
    'transaction per batch (orders locked `FOR UPDATE` and inbox entries read at once, one write per table, the audit chain extended once as the',
    "transaction's last step), each batch's statements pipelined on its connection (sent without waiting for the previous answer where nothing depends on it: `Tx.defer`), up to two batches at a time (a second one starts beside a running one once 32 notifications wait),",
    'each request answered only after its batch committed. Logging as `npm run server` sets it up (file + stdout; one line per batch, counters per notification).',
    '**(a)** a bare `node:http` server in its own process doing only the timestamp window, the RSA verification and the AES-GCM',
    'decryption (+ `JSON.parse`) with `node:crypto`: same requests, same client, same concurrency. **(b)** raw single-row',
    `autocommit INSERTs of inbox-sized rows (${s.rawInsert.rowBytes} bytes of data each) into a fresh \`notification_inbox\` (the app's schema), mysql2 pool of ${s.rawInsert.connections}, concurrency ${s.concurrency}.`,
    '',
  );
  out.push('| | Notifications | Throughput | p50 | p99 | max | Server CPU / notification | MariaDB CPU (cores) | Machine busy (cores) |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  const row = (name: string, f: LoadFigures, server: string) =>
    out.push(`| ${name} | ${sentNote(f)} | **${en(f.perSecond)}/s** | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} | ${server} | ${cores(f.mariadbCores)} | ${cores(f.busyCores)} |`);
  const serverCpu = (f: LoadFigures) => `${perNotification(f.serverCpuMs, f.requests)}${f.serverSystemMs === null ? '' : ` (kernel ${perNotification(f.serverSystemMs, f.requests)})`}`;
  row('**Ours: end to end** (server + app + MariaDB)', e, serverCpu(e));
  row('(a) bare node:http: signature check + decryption only', s.bare, serverCpu(s.bare));
  row('(b) raw single-row INSERT, mysql2, autocommit', s.rawInsert, '— (client: ' + perNotification(s.rawInsert.clientCpuMs, s.rawInsert.requests) + ')');
  out.push('');
  out.push(`The client is a closed loop: ${s.concurrency} requests are always in flight, so latency ≈ ${s.concurrency} / throughput (Little's law) — a slow server shows up in both columns.`, '');
  const ok = e.perSecond >= NOTIFY_GOAL_PER_SECOND && e.requests === e.planned;
  out.push(
    `Goal ≥ ${en(NOTIFY_GOAL_PER_SECOND)} notifications/s end to end on this 2-core machine: ${verdict(ok)} — ${en(e.perSecond)}/s, ${
      ok ? 'met' : `${(NOTIFY_GOAL_PER_SECOND / e.perSecond).toFixed(1)}× short`
    }. End to end takes ${(s.bare.perSecond / e.perSecond).toFixed(1)}× the time per notification of the bare verify+decrypt server and ${(s.rawInsert.perSecond / e.perSecond).toFixed(1)}× that of one raw INSERT.`,
    '',
  );
  out.push(
    `Setup: ${en(s.unique)} pending WeChat orders (type \`customer_order\`, no booking behind them) each with the pending payment transaction \`OrderService.create\` gives an order, inserted in ${(s.setup.ordersInsertMs / 1000).toFixed(1)} s (\`tx.orders.insertMany\`, \`tx.transactions.insertMany\`; no \`payment_requests\` rows: applying a notification never reads them); bodies built in ${(s.setup.bodiesMs / 1000).toFixed(1)} s; ` +
      `${en(s.notifications)} RSA-2048 signatures in ${(s.setup.signMs / 1000).toFixed(1)} s on ${s.setup.signWorkers} worker threads, just before the run (timestamps ${(s.setup.signedAgo.e2e / 1000).toFixed(0)} s old when the end-to-end run started, ${(s.setup.signedAgo.bare / 1000).toFixed(0)} s for the bare run; WeChat's window is ±300 s)` +
      (s.setup.resignedDuringE2e ? `; ${en(s.setup.resignedDuringE2e)} requests not yet sent were signed again during the long end-to-end run.` : '.') +
      ` Client CPU: ${perNotification(e.clientCpuMs, e.requests)} per request end to end, ${perNotification(s.bare.clientCpuMs, s.bare.requests)} against the bare server.`,
    '',
  );
  if (e.requests < e.planned)
    out.push(`The end-to-end run hit its time budget: ${en(e.requests)} of ${en(e.planned)} notifications were sent (the first ones of the shuffled stream, ${((e.requests / e.planned) * 100).toFixed(0)}%); the figures and the proof below cover exactly those.`, '');

  out.push('### Proof: every order applied exactly once', '');
  out.push('Counted in the database after the run (and from the server\'s own counters):', '');
  out.push('| Check | Expected | Actual | |', '|---|---|---|---|');
  for (const c of s.proof) out.push(`| ${c.what} | ${en(c.expected)} | ${en(c.actual)} | ${verdict(c.ok)} |`);
  out.push('', `Audit hash chain (\`AuditService.verify\` over the whole log): ${s.auditChain}.`, '');

  out.push('### Where the time goes', '');
  const stmts = Object.entries(s.sql).sort((a, b) => b[1].ms - a[1].ms);
  const applied = Math.max(1, s.serverMetrics['notify.applied.wechat'] ?? s.unique);
  const total = stmts.reduce((a, [, v]) => a + v.n, 0);
  out.push(
    `Every statement the app sent during the end-to-end run, counted on its own TypeORM query runners: ${en(total)} for ${en(e.requests)} notifications = ${(total / e.requests).toFixed(1)} per notification. ` +
      'Wall time = from TypeORM handing the statement to mysql2 until the result is back in JavaScript, summed over the connections: it includes waiting for row locks, the loopback round trip, the statements queued before it on the same connection (a batch pipelines its statements) and the server\'s own event-loop delay. ' +
      'A MySQL unit of work opens with `SET autocommit = 0` sent together with its first statements (not an awaited `START TRANSACTION`) and commits with `SET autocommit = 1` (an implicit COMMIT, which also leaves the connection ready for the pool; `Store.transaction`); statements handed to the connection together go as one multi-statement query.',
    '',
  );
  if (s.transactions.length) {
    out.push('The transactions, statement by statement (the most frequent shapes):', '');
    out.push('| Transaction | Statements | Count |', '|---|---|---|');
    for (const t of s.transactions.slice(0, 4)) out.push(`| \`${t.seq}\` | ${t.seq.split(' → ').length} | ${en(t.n)} |`);
    out.push('');
  }
  const batches = s.serverMetrics['notify.batches'] ?? 0;
  if (batches)
    out.push(
      `Group commit: ${en(batches)} batches for ${en(e.requests)} notifications, ${(e.requests / batches).toFixed(1)} per batch on average; ${en(s.serverMetrics['notify.batch_retry'] ?? 0)} batches tried again after colliding with another (a deadlock, the same notification in both), ${en(s.serverMetrics['notify.batch_fallback'] ?? 0)} applied one by one after a second failure.`,
      '',
    );
  out.push('| Statement | Count | Per applied notification | Mean wall time | Summed wall time |', '|---|---|---|---|---|');
  for (const [k, v] of stmts) out.push(`| \`${k}\` | ${en(v.n)} | ${(v.n / applied).toFixed(2)} | ${ms(v.ms / v.n)} | ${en(v.ms / 1000, 1)} s |`);
  out.push('');
  const lock = s.auditLock;
  if (lock) {
    out.push(
      `The audit head lock (\`audit_head\` id = 1, taken by \`AuditRepository.flush\` with \`SELECT … FOR UPDATE\` as the last step of every store transaction) was held by ${en(lock.n)} transactions for ${ms(lock.mean)} on average (p50 ${ms(lock.p50)}, p99 ${ms(lock.p99)}), measured in JavaScript from the grant arriving to COMMIT's answer (so the server's event-loop delay at both ends is included); ` +
        `together ${((lock.n * lock.mean) / e.wallMs * 100).toFixed(0)}% of the run's ${en(e.wallMs / 1000, 1)} s. What the holders sent while holding it:`,
      '',
    );
    out.push('| Statements while holding the audit head lock | Transactions |', '|---|---|');
    for (const q of lock.sequences.slice(0, 5)) out.push(`| \`${q.seq}\` | ${en(q.n)} |`);
    out.push('');
  }

  if (s.profile && s.profiledRun) {
    const p = s.profile;
    out.push(
      `#### CPU profile of the app server (\`--cpu-prof\`, a separate pass of ${sentNote(s.profiledRun)} notifications on a fresh database: ${en(s.profiledRun.perSecond)}/s under the profiler)`,
      '',
      `Sampled ${en(p.totalMs / 1000, 1)} s (the whole process, start-up included), of which ${en(p.busyMs / 1000, 1)} s not idle = ${(p.busyMs / s.profiledRun.requests).toFixed(2)} ms per notification; the process's CPU time over the load itself was ${perNotification(s.profiledRun.serverCpuMs, s.profiledRun.requests)} per notification. ` +
        "The two totals measure different things: the profiler samples the main thread's wall time (a moment runnable but not running, e.g. right after a socket write woke MariaDB, is counted in the frame it was in, such as `writeBuffer`), the CPU time counts every thread of the process (V8's garbage-collector and compiler threads too). Self time by area:",
      '',
    );
    out.push('| Area | Self time | Share of busy |', '|---|---|---|');
    for (const a of p.areas.slice(0, 14)) out.push(`| ${a.area} | ${en(a.ms)} ms | ${(a.shareOfBusy * 100).toFixed(1)}% |`);
    out.push('', 'Functions with the most self time:', '');
    out.push('| Function | Where | Self time | Share |', '|---|---|---|---|');
    for (const f of p.top) out.push(`| \`${f.fn}\` | ${f.where} | ${en(f.ms)} ms | ${(f.shareOfBusy * 100).toFixed(1)}% |`);
    out.push('', 'Synchronous (inclusive) cost of named functions — the part before they return or first await:', '');
    out.push('| Function | Inclusive time | Share | Per notification |', '|---|---|---|---|');
    for (const f of p.inclusive) out.push(`| \`${f.fn}\` | ${en(f.ms)} ms | ${(f.shareOfBusy * 100).toFixed(1)}% | ${(f.ms / s.profiledRun.requests).toFixed(3)} ms |`);
    out.push('');
  }

  const vars = Object.keys(s.dbStatus.e2e);
  out.push('### MariaDB counters', '');
  out.push('`SHOW GLOBAL STATUS` deltas over each run. The server is shared: other sessions (other test suites running at the same time) are counted too.', '');
  out.push('| Counter | End to end | Raw INSERTs |', '|---|---|---|');
  for (const v of vars) out.push(`| ${v} | ${en(s.dbStatus.e2e[v] ?? 0)} | ${en(s.dbStatus.raw[v] ?? 0)} |`);
  out.push('');
  return out;
}

/** What the figures say, for the report's findings list. */
export function notifyFindings(s: NotifySection, machineCores: number): string[] {
  const f: string[] = [];
  const e = s.endToEnd;
  const stmts = s.sql;
  const n = e.requests;
  const total = Object.values(stmts).reduce((a, v) => a + v.n, 0);
  const head = stmts['SELECT audit_head FOR UPDATE'];
  const begin = stmts['SET autocommit = 0'] ?? stmts['START TRANSACTION'];
  const commit = stmts.COMMIT;
  const serverCpu = e.serverCpuMs === null ? null : e.serverCpuMs / n;
  const bareCpu = s.bare.serverCpuMs === null ? null : s.bare.serverCpuMs / s.bare.requests;

  f.push(
    `Notification ingest end to end: ${en(e.perSecond)}/s (p50 ${ms(e.p50)}, p99 ${ms(e.p99)}) against the goal of ${en(NOTIFY_GOAL_PER_SECOND)}/s — ${e.perSecond >= NOTIFY_GOAL_PER_SECOND ? 'met' : `${(NOTIFY_GOAL_PER_SECOND / e.perSecond).toFixed(1)}× short`}. ` +
      `The bare verify+decrypt server did ${en(s.bare.perSecond)}/s and raw single-row INSERTs ${en(s.rawInsert.perSecond)}/s in the same run, so neither the cryptography nor MariaDB's commit rate is what holds the app back. ` +
      `Every order was still applied exactly once (${s.proof.filter((c) => c.ok).length}/${s.proof.length} checks, audit chain ${s.auditChain.split(':')[0]}).`,
  );
  const shapes = s.transactions;
  const paying = shapes.find((t) => t.seq.includes('UPDATE payment_orders'));
  // Two limits meet here: the server process's CPU (Node runs the JavaScript on one thread) and the
  // audit head lock (one holder at a time). Which one bound this run is read from the figures.
  const serverCores = e.serverCpuMs === null ? null : e.serverCpuMs / e.wallMs;
  const verifyInclusive = s.profile?.inclusive.find((x) => x.fn === 'verifyWechatNotification');
  const verifyMs = verifyInclusive && s.profiledRun ? verifyInclusive.ms / s.profiledRun.requests : null;
  const cpuBound = serverCores !== null && serverCores >= 0.85;
  if (serverCpu !== null && bareCpu !== null && serverCores !== null)
    f.push(
      `Server CPU: the app server spent ${serverCpu.toFixed(2)} ms of CPU per notification (kernel ${e.serverSystemMs === null ? '?' : (e.serverSystemMs / n).toFixed(2)} ms) against ${bareCpu.toFixed(2)} ms for the bare server — verification itself is cheap (an RSA-2048 verify is ≈ 0.03 ms on this CPU${verifyMs === null ? '' : `, the whole \`verifyWechatNotification\` ${verifyMs.toFixed(2)} ms in the profile`}); the rest is HTTP, the gateway's checks (zod), the group commit (promises, outcome bookkeeping, one log line per batch), the audit snapshots and hashes, and the batch's ${paying ? paying.seq.split(' → ').length : '~13'} statements (${paying ? `${en(paying.n)} batches, ${(n / paying.n).toFixed(1)} notifications each on average` : 'per batch'}), each built, escaped, sent, parsed and mapped by TypeORM and mysql2. ` +
        `The server process used ${serverCores.toFixed(2)} of a core over the run: ${
          cpuBound
            ? `it was CPU-bound — Node runs the JavaScript on one thread, and ${serverCpu.toFixed(2)} ms per notification caps one process at about ${en(1000 / serverCpu)}/s, which is what was measured`
            : `not CPU-bound by itself (the machine was: ${e.busyCores.toFixed(2)} of ${machineCores} cores busy, see the load finding), so the waits below set the pace`
        }. ` +
        `For ${en(NOTIFY_GOAL_PER_SECOND)}/s on ${machineCores} cores shared with MariaDB and the client, everything together may use at most ${((machineCores * 1000) / NOTIFY_GOAL_PER_SECOND).toFixed(2)} ms of CPU per notification.` +
        (s.profile ? ` The profile puts ${(areaShare(s, 'TypeORM') * 100).toFixed(0)}% of the server's busy time in TypeORM (query building, parameter escaping, result mapping), ${(areaShare(s, 'mysql2 (driver)') * 100).toFixed(0)}% in mysql2 (escaping the parameters into the SQL text, parsing results; its per-query stack capture is off: \`trace: false\` in db/data-source.ts), ${(nativeShare(s) * 100).toFixed(0)}% in native code (socket writes to MariaDB dominate), ${(areaShare(s, 'our code (src-main)') * 100).toFixed(0)}% in our own code.` : ''),
    );
  const lock = s.auditLock;
  if (head && lock)
    f.push(
      `The audit head row (\`audit_head\` id = 1) no longer serializes the notifications: a store transaction keeps its audit entries until its end and \`AuditRepository.flush\` links them into the chain as its last step (head \`SELECT … FOR UPDATE\`, then the multi-row INSERT and the head's UPDATE sent together, COMMIT once both answered). ` +
        `Measured on the app's own connections it was held ${ms(lock.mean)} on average (p99 ${ms(lock.p99)}) by ${en(lock.n)} transactions (\`${lock.sequences[0]?.seq ?? ''}\` in ${en(lock.sequences[0]?.n ?? 0)} of them), ${((lock.n * lock.mean) / e.wallMs * 100).toFixed(0)}% of the run's wall time; waiting for it averaged ${ms(head.ms / head.n)}.` +
        (begin ? ` The opening \`SET autocommit = 0\` (answered together with the batch's first reads) averaged ${ms(begin.ms / begin.n)}.` : '') +
        (commit ? ` COMMIT averaged ${ms(commit.ms / commit.n)}.` : ''),
    );
  f.push(
    `Statements: ${(total / n).toFixed(2)} per notification on average${paying ? `; a batch of payment notifications is one transaction of ${paying.seq.split(' → ').length} statements (its opening \`SET autocommit = 0\` and COMMIT included; \`SET autocommit = 1\` follows once the answer is on its way) whatever its size — ${en(paying.n)} batches, ${(n / paying.n).toFixed(1)} notifications each on average` : ''}. ` +
      'Per batch: the orders locked `FOR UPDATE` at once (in order-number order), then the inbox entries read at once, then the orders\' pending payment transactions locked — sent together, and in that order so that a batch that waited for another one\'s locks on the same orders reads the inbox after that one committed and sees its notifications as duplicates; each notification decided in arrival order against the state the earlier ones left; then one UPDATE of the orders and one of their payment transactions (`CASE` per row, version-checked), the bookings behind them read at once, the payers\' messages in one outbox INSERT, the new inbox entries in one INSERT already settled, and the audit entries in one INSERT. ' +
      'The statements handed to the connection together (the writes sent with `Tx.defer` and the read after them) travel as ONE multi-statement query (`db/statement-coalescing.ts`: mysql2 otherwise runs one command per round trip, each answer first read by a busy event loop); a statement that fails fails alone and those after it are sent again, as one by one. ' +
        'The writes are not awaited one by one (`Tx.defer`): each goes out with the read after it, so a batch waits for five answers instead of thirteen (the three locking/plain reads; the bookings read behind the two UPDATEs; the audit head behind the outbox and inbox INSERTs; the audit INSERT and head UPDATE; the commit, `SET autocommit = 1`); the commit is sent only once every statement answered without error. Autocommit is off for the whole unit of work, so when InnoDB rolls a batch back on a deadlock the statements queued behind the failed one run in a new implicit transaction that the ROLLBACK discards (test/integration/store-pipelining.test.ts). ' +
      'A batch that collides with another (a deadlock, the same notification in two batches) is tried once more; one that fails again, or for any other reason, is rolled back and its notifications are applied one by one (one transaction each), so a bad notification only fails itself.',
  );
  const batches = s.serverMetrics['notify.batches'] ?? 0;
  if (batches && e.busyCores < machineCores * 0.85 && lock)
    f.push(
      `What sets the pace in this run: waiting, not CPU — ${e.busyCores.toFixed(2)} of ${machineCores} cores were busy. Each batch (${(n / batches).toFixed(1)} notifications on average) waits for five answers in a row, each delayed by the server's own event loop (busy ${serverCores === null ? '?' : serverCores.toFixed(2)} of its core verifying the next requests); at most two batches run at a time and they meet at the audit head, held ${ms(lock.mean)} per batch. ` +
        'Fewer answers to wait for per batch is the next step, but not at the audit head: asking for the head together with the bookings read (one answer less) was tried and kept the head locked about three times as long (13–17 ms), with no gain. Reading the bookings with the orders (the booking listener reading ahead) would save one without lengthening the lock, and less server CPU per notification (below) shortens every wait.',
    );
  if (serverCpu !== null && bareCpu !== null)
    f.push(
      `What is left: the app server's ${serverCpu.toFixed(2)} ms of CPU per notification against the bare server's ${bareCpu.toFixed(2)} ms. With the database work amortized over the batch, most of it is per notification and outside the database: the HTTP handling of hosts/server.ts, the gateway's verification (two zod schemas, header lookup, the reply built per request), the audit snapshots of each paid order and their HMACs, the parameters escaped into the SQL text by mysql2 (TypeORM sends text-protocol queries), and the garbage they make. ` +
        `Node runs the JavaScript on one thread, so ${en(NOTIFY_GOAL_PER_SECOND)}/s needs the server below ${(1000 / NOTIFY_GOAL_PER_SECOND).toFixed(2)} ms per notification on its core; and the server, MariaDB and the client together may use ${((machineCores * 1000) / NOTIFY_GOAL_PER_SECOND).toFixed(2)} ms per notification on ${machineCores} cores. "Acknowledge quickly" (answer once the raw notification is in the inbox, apply from the inbox in batches) would not cut this CPU, only move it.`,
    );
  if (e.busyCores > 0 && e.mariadbCores !== null && e.serverCpuMs !== null) {
    const ours = e.serverCpuMs / e.wallMs + e.clientCpuMs / e.wallMs + e.mariadbCores;
    f.push(
      `Load during the end-to-end run: ${e.busyCores.toFixed(2)} of ${machineCores} cores busy on average; the app server used ${(e.serverCpuMs / e.wallMs).toFixed(2)}, the client ${(e.clientCpuMs / e.wallMs).toFixed(2)}, MariaDB ${e.mariadbCores.toFixed(2)} (together ${ours.toFixed(2)}); ${
        e.busyCores - ours > 0.15
          ? `the remaining ${(e.busyCores - ours).toFixed(2)} cores were other work on the machine (other test runs at the same time), so absolute rates are lower than on an idle machine and ratios within the run are the fairer figures.`
          : 'the machine was otherwise quiet during this part.'
      }`,
    );
  }
  return f;
}

function areaShare(s: NotifySection, area: string): number {
  return s.profile?.areas.find((a) => a.area === area)?.shareOfBusy ?? 0;
}

function nativeShare(s: NotifySection): number {
  return s.profile?.areas.filter((a) => a.area.startsWith('native')).reduce((x, a) => x + a.shareOfBusy, 0) ?? 0;
}
