import { createHash } from 'node:crypto';
import { DAY_MS, formatShanghai, HOUR_MS, shanghaiDate, shanghaiDayStart } from '../../core/time';
import { writeTradeBill, type BillType, type TradeBillLine } from '../wechat/wechat-bill';
import type { SimRequest } from './sim-http';
import { wxError, type SimReply, type WechatSimCore } from './wechat-sim-core';

/**
 * The trade bill, written from the simulator's own books in WeChat's format (wechat/wechat-bill.ts).
 * A day's bill holds the payments that SUCCEEDED that Shanghai day and the refunds ACCEPTED that day
 * (pay.weixin.qq.com docs/merchant/products/bill-download/format-trade.html "数据组成说明").
 * `GET /v3/bill/tradebill` answers as the platform does: 400 STATEMENT_CREATING until ~10:00 the next
 * day, 400 NO_STATEMENT_EXIST for a day without activity, otherwise `{hash_type:"SHA1", hash_value,
 * download_url}` where the URL lives 30 seconds and the file behind it is fetched with a signed GET
 * and answered unsigned (PROTOCOLS.md §2; wohugb/wepay docs/api/bill/tradebill.md).
 */
const URL_LIFETIME_MS = 30_000;
const READY_AFTER_MS = DAY_MS + 10 * HOUR_MS;

interface IssuedBill {
  bytes: Buffer;
  expiresAt: number;
}

const issued = new WeakMap<WechatSimCore, Map<string, IssuedBill>>();

export function billLines(core: WechatSimCore, date: string): TradeBillLine[] {
  const lines: { at: number; line: TradeBillLine }[] = [];
  const rateBp = core.opts.feeRateBp ?? 60;
  const base = (orderNo: string) => {
    const t = core.ledger.trades.get(orderNo);
    if (!t) return null;
    return {
      appid: core.opts.appid,
      mchid: core.opts.mchid,
      transactionId: t.platformTradeNo,
      outTradeNo: t.orderNo,
      openid: t.payer ?? '',
      tradeType: t.scene,
      orderFen: t.amountFen,
      description: t.description,
      attach: '',
      rateBp,
    };
  };
  for (const t of core.ledger.trades.values()) {
    const b = base(t.orderNo);
    if (b && t.paidAt !== undefined && shanghaiDate(t.paidAt) === date) lines.push({ at: t.paidAt, line: { ...b, time: formatShanghai(t.paidAt), kind: 'payment' } });
  }
  for (const r of core.ledger.refunds.values()) {
    const b = base(r.orderNo);
    if (!b || shanghaiDate(r.createdAt) !== date) continue;
    const refund = {
      refundId: r.platformRefundNo,
      outRefundNo: r.refundNo,
      amountFen: r.amountFen,
      status: { processing: 'PROCESSING', success: 'SUCCESS', failed: 'ABNORMAL', closed: 'CLOSED' }[r.state],
      appliedAt: formatShanghai(r.createdAt),
      succeededAt: r.succeededAt ? formatShanghai(r.succeededAt) : '',
    };
    lines.push({ at: r.createdAt, line: { ...b, time: formatShanghai(r.createdAt), kind: 'refund', refund } });
  }
  return lines.sort((a, b) => a.at - b.at).map((l) => l.line);
}

export function tradeBill(core: WechatSimCore, date: string, type: BillType): Buffer {
  return writeTradeBill(type, billLines(core, date));
}

export function requestTradeBill(core: WechatSimCore, req: SimRequest): SimReply {
  const q = req.url.searchParams;
  const date = q.get('bill_date') ?? '';
  const type = q.get('bill_type') ?? 'ALL';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return wxError(400, 'PARAM_ERROR', 'bill_date 格式应为 YYYY-MM-DD');
  if (type !== 'ALL' && type !== 'SUCCESS' && type !== 'REFUND') return wxError(400, 'PARAM_ERROR', 'bill_type 只能是 ALL、SUCCESS 或 REFUND');
  if (q.get('tar_type')) return wxError(400, 'PARAM_ERROR', '模拟器只提供未压缩的账单文件');
  const now = core.now();
  const dayStart = shanghaiDayStart(date);
  if (now < dayStart + READY_AFTER_MS) return wxError(400, 'STATEMENT_CREATING', '账单生成中，请在次日 10 点后再下载');
  if (now - dayStart > 92 * DAY_MS) return wxError(400, 'PARAM_ERROR', '仅支持下载三个月以内的账单');
  const lines = billLines(core, date).filter((l) => type === 'ALL' || (type === 'SUCCESS') === (l.kind === 'payment'));
  if (lines.length === 0) return wxError(400, 'NO_STATEMENT_EXIST', '该日期没有交易，账单不存在');
  const bytes = writeTradeBill(type, lines);
  const token = core.randomToken(36);
  let map = issued.get(core);
  if (!map) issued.set(core, (map = new Map()));
  map.set(token, { bytes, expiresAt: now + URL_LIFETIME_MS });
  return {
    status: 200,
    body: {
      hash_type: 'SHA1',
      hash_value: createHash('sha1').update(bytes).digest('hex'),
      download_url: `${core.ctx.baseUrl()}/v3/billdownload/file?token=${token}`,
    },
  };
}

export function downloadBillFile(core: WechatSimCore, req: SimRequest): SimReply {
  const token = req.url.searchParams.get('token') ?? '';
  const bill = issued.get(core)?.get(token);
  if (!bill || core.now() > bill.expiresAt) return wxError(400, 'INVALID_REQUEST', '下载链接已过期或无效，请重新申请账单');
  return { status: 200, raw: bill.bytes };
}
