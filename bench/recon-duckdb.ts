import { DIFF_TYPES, type DiffType } from '../src-main/core/reconciliation/recon-diff';
import { DAY_MS, shanghaiDayStart } from '../src-main/core/time';
import { TRADE_BILL_HEADER } from '../src-main/gateways/wechat/wechat-bill';

/**
 * The baseline of the reconciliation benchmark: DuckDB (in process, 2 threads) doing the same work on
 * the same files — read the WeChat bill with read_csv (",`" as the delimiter, the first cell's
 * backtick trimmed, no quoting: WeChat never quotes), turn yuan cells into fen and the Shanghai time
 * into epoch ms, check the summary line against the column sums, take our side of the day by the same
 * rule as the engine (ReconRepository: money moved that day, or the key is on the bill and it is not a
 * success of a later day), a FULL OUTER JOIN on (kind, key) of both sides grouped by key, the same
 * classification as core/reconciliation/recon-diff.ts classifyKey (priority 重复单 > 漏单 / 平台无此单 >
 * 状态 > 金额 > 手续费, one-sided records near midnight held), the differences written to a table with
 * both sides' figures. Our records come as CSV files written from the same generated data the stores
 * were seeded with (bench/recon-data.ts), since DuckDB does not read the app's database.
 */

export interface Outcomes {
  matched: { count: number; amountFen: number };
  held: number;
  diffs: Record<DiffType, { count: number; amountFen: number }>;
  billLines: number;
  localRecords: number;
}

const col = (name: (typeof TRADE_BILL_HEADER)[number]) => `c${String(TRADE_BILL_HEADER.indexOf(name)).padStart(2, '0')}`;
/** Yuan text with up to 5 decimals → fen, exactly (DECIMAL, no floating point). */
const fen = (c: string, scale = 2) => `CAST(CAST(${c} AS DECIMAL(18, ${scale})) * 100 AS BIGINT)`;
const SUCCESS = `('success', 'refunding', 'refunded')`;

export async function duckdbRecon(opts: { bill: string; localPayments: string; localRefunds: string; date: string; holdWindowMs: number; threads: number }): Promise<{ outcomes: Outcomes; phases: Record<string, number> }> {
  const dayStart = shanghaiDayStart(opts.date);
  const dayEnd = dayStart + DAY_MS;
  // Loaded here, not at the top: the benchmark's child process for our engine never maps the DuckDB library.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(opts.threads) });
  const db = await instance.connect();
  const phases: Record<string, number> = {};
  const step = async (name: string, sql: string) => {
    const t = performance.now();
    const r = await db.runAndReadAll(sql);
    phases[name] = (phases[name] ?? 0) + performance.now() - t;
    return r.getRowObjectsJS();
  };
  try {
    const names = TRADE_BILL_HEADER.map((_, i) => `'c${String(i).padStart(2, '0')}'`).join(', ');
    await step(
      'parse bill',
      `CREATE TABLE bill AS SELECT * FROM read_csv('${opts.bill}', delim = ',\`', quote = '', escape = '', header = false, skip = 1,
         all_varchar = true, null_padding = true, names = [${names}])`,
    );
    // A detail line starts with its time (`yyyy-MM-dd HH:mm:ss); the summary line with the count.
    const detail = `c00 LIKE '\`____-__-__ __:__:__'`;
    await step(
      'parse bill',
      `CREATE TABLE p AS SELECT
         CASE WHEN ${col('交易状态')} = 'REFUND' THEN 'refund' ELSE 'payment' END AS kind,
         CASE WHEN ${col('交易状态')} = 'REFUND' THEN ${col('商户退款单号')} ELSE ${col('商户订单号')} END AS key,
         ${col('商户订单号')} AS order_no,
         CASE WHEN ${col('交易状态')} = 'REFUND' THEN ${col('微信退款单号')} ELSE ${col('微信订单号')} END AS platform_no,
         CASE WHEN ${col('交易状态')} = 'REFUND' THEN ${fen(col('申请退款金额'))} ELSE ${fen(col('订单金额'))} END AS amount,
         ${fen(col('手续费'), 5)} AS fee,
         CASE WHEN ${col('交易状态')} = 'REFUND' THEN
                CASE ${col('退款状态')} WHEN 'SUCCESS' THEN 'success' WHEN 'PROCESSING' THEN 'pending' WHEN 'CLOSED' THEN 'closed' WHEN 'REFUNDCLOSE' THEN 'closed' ELSE 'failed' END
              ELSE CASE ${col('交易状态')} WHEN 'SUCCESS' THEN 'success' WHEN 'NOTPAY' THEN 'pending' WHEN 'USERPAYING' THEN 'pending' WHEN 'PAYERROR' THEN 'failed' ELSE 'closed' END
         END AS state,
         epoch_ms(strptime(ltrim(c00, '\`'), '%Y-%m-%d %H:%M:%S')) - 8 * 3600000 AS ts,
         rowid + 2 AS line
       FROM bill WHERE ${detail}`,
    );
    // The summary line must agree with the detail (as the reader checks it).
    const [check] = await step(
      'parse bill',
      `SELECT (SELECT CAST(ltrim(c00, '\`') AS BIGINT) FROM bill WHERE starts_with(c00, '\`') AND NOT ${detail}) AS stated_count,
              (SELECT ${fen('c01')} FROM bill WHERE starts_with(c00, '\`') AND NOT ${detail}) AS stated_settle,
              (SELECT ${fen('c02')} FROM bill WHERE starts_with(c00, '\`') AND NOT ${detail}) AS stated_refund,
              (SELECT ${fen('c04', 5)} FROM bill WHERE starts_with(c00, '\`') AND NOT ${detail}) AS stated_fee,
              count(*) AS n, sum(${fen(col('应结订单金额'))}) AS settle, sum(${fen(col('退款金额'))}) AS refund, sum(${fen(col('手续费'), 5)}) AS fee
       FROM bill WHERE ${detail}`,
    );
    if (!check || check.stated_count !== check.n || check.stated_settle !== check.settle || check.stated_refund !== check.refund || check.stated_fee !== check.fee)
      throw new Error(`DuckDB: 汇总行与明细不符 ${JSON.stringify(check, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
    await step(
      'local side',
      `CREATE TABLE l AS
       SELECT 'payment' AS kind, order_no AS key, order_no, trade_no AS platform_no, amount_fen AS amount, CAST(NULL AS BIGINT) AS fee,
              CASE WHEN status IN ${SUCCESS} THEN 'success' WHEN status = 'failed' THEN 'closed' ELSE 'pending' END AS state,
              coalesce(paid_at, updated_at) AS ts, seq
       FROM read_csv('${opts.localPayments}', header = true, columns = {'seq': 'BIGINT', 'order_no': 'VARCHAR', 'trade_no': 'VARCHAR', 'amount_fen': 'BIGINT', 'status': 'VARCHAR', 'paid_at': 'BIGINT', 'updated_at': 'BIGINT', 'payment_method': 'VARCHAR'})
       WHERE payment_method = 'wechat' AND (
         (status IN ${SUCCESS} AND paid_at >= ${dayStart} AND paid_at < ${dayEnd})
         OR (order_no IN (SELECT key FROM p WHERE kind = 'payment') AND NOT (status IN ${SUCCESS} AND coalesce(paid_at, 0) >= ${dayEnd})))
       UNION ALL
       SELECT 'refund', refund_no, order_no, platform_refund_no, amount_fen, fee_fen,
              CASE state WHEN 'success' THEN 'success' WHEN 'failed' THEN 'failed' WHEN 'closed' THEN 'closed' WHEN 'rejected' THEN 'closed' ELSE 'pending' END,
              coalesce(succeeded_at, updated_at), seq
       FROM read_csv('${opts.localRefunds}', header = true, columns = {'seq': 'BIGINT', 'refund_no': 'VARCHAR', 'order_no': 'VARCHAR', 'platform_refund_no': 'VARCHAR', 'amount_fen': 'BIGINT', 'fee_fen': 'BIGINT', 'state': 'VARCHAR', 'succeeded_at': 'BIGINT', 'updated_at': 'BIGINT', 'platform': 'VARCHAR'})
       WHERE platform = 'wechat' AND (
         (state = 'success' AND succeeded_at >= ${dayStart} AND succeeded_at < ${dayEnd})
         OR (refund_no IN (SELECT key FROM p WHERE kind = 'refund') AND NOT (state = 'success' AND coalesce(succeeded_at, 0) >= ${dayEnd})))`,
    );
    const group = (t: string, order: string) =>
      `SELECT kind, key, count(*) AS n, sum(amount) AS total, arg_min(amount, ${order}) AS amount, arg_min(fee, ${order}) AS fee, arg_min(state, ${order}) AS state, arg_min(ts, ${order}) AS ts FROM ${t} GROUP BY kind, key`;
    const oneSided = `coalesce(p.state, l.state) <> 'success' THEN 'none'
          WHEN coalesce(p.ts, l.ts) >= ${dayEnd - opts.holdWindowMs} AND coalesce(p.ts, l.ts) < ${dayEnd + opts.holdWindowMs} THEN 'held'`;
    await step(
      'join + classify',
      `CREATE TABLE j AS
       WITH pg AS (${group('p', 'line')}), lg AS (${group('l', 'seq')}),
       joined AS (SELECT kind, key, p.n AS pn, l.n AS ln, p.total AS ptotal, l.total AS ltotal, p.amount AS pamount, l.amount AS lamount, p.fee AS pfee, l.fee AS lfee, p.state AS pstate, l.state AS lstate,
         CASE WHEN p.n > 1 THEN 'duplicate_platform'
              WHEN l.n > 1 THEN 'duplicate_local'
              WHEN p.n IS NULL THEN CASE WHEN ${oneSided} ELSE 'missing_platform' END
              WHEN l.n IS NULL THEN CASE WHEN ${oneSided} ELSE 'missing_local' END
              WHEN p.state <> l.state THEN 'status'
              WHEN p.amount <> l.amount THEN 'amount'
              WHEN p.fee IS NOT NULL AND l.fee IS NOT NULL AND p.fee <> l.fee THEN 'fee'
              ELSE 'matched' END AS outcome
         FROM pg p FULL OUTER JOIN lg l USING (kind, key))
       SELECT *, CASE outcome
           WHEN 'duplicate_platform' THEN ptotal - pamount
           WHEN 'duplicate_local' THEN ltotal - lamount
           WHEN 'missing_local' THEN ptotal
           WHEN 'missing_platform' THEN ltotal
           WHEN 'status' THEN CASE WHEN pstate = 'success' THEN pamount WHEN lstate = 'success' THEN lamount ELSE 0 END
           WHEN 'amount' THEN abs(ptotal - ltotal)
           WHEN 'fee' THEN abs(coalesce(pfee, 0) - coalesce(lfee, 0))
           WHEN 'matched' THEN pamount
           ELSE 0 END AS amount_fen
       FROM joined`,
    );
    // The differences with both sides' records, as the engine persists them.
    await step(
      'persist differences',
      `CREATE TABLE diffs AS SELECT j.kind, j.key, j.outcome, j.amount_fen,
         (SELECT list(struct_pack(amount := p.amount, fee := p.fee, state := p.state, at := p.ts, line := p.line, platform_no := p.platform_no)) FROM p WHERE p.kind = j.kind AND p.key = j.key) AS platform,
         (SELECT list(struct_pack(amount := l.amount, fee := l.fee, state := l.state, at := l.ts, seq := l.seq, platform_no := l.platform_no)) FROM l WHERE l.kind = j.kind AND l.key = j.key) AS local
       FROM j WHERE outcome NOT IN ('matched', 'none', 'held')`,
    );
    const rows = await step('summary', `SELECT outcome, count(*) AS n, sum(amount_fen) AS s FROM j GROUP BY outcome`);
    const [sizes] = await step('summary', `SELECT (SELECT count(*) FROM p) AS bill, (SELECT count(*) FROM l) AS local`);
    const diffs = Object.fromEntries(DIFF_TYPES.map((t) => [t, { count: 0, amountFen: 0 }])) as Outcomes['diffs'];
    const outcomes: Outcomes = { matched: { count: 0, amountFen: 0 }, held: 0, diffs, billLines: Number(sizes?.bill), localRecords: Number(sizes?.local) };
    for (const r of rows) {
      const o = String(r.outcome);
      const n = Number(r.n);
      const s = Number(r.s);
      if (o === 'matched') outcomes.matched = { count: n, amountFen: s };
      else if (o === 'held') outcomes.held = n;
      else if (o in diffs) diffs[o as DiffType] = { count: n, amountFen: s };
    }
    return { outcomes, phases };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
