import { DomainError } from '../../core/errors';
import { PAYMENT_METHOD_LABELS, type PaymentMethod } from '../../core/orders/order-types';
import { shanghaiDate, type Clock } from '../../core/time';
import { GatewayOutcomeUnknown, GatewayRejected, ResponseUnverified } from '../../gateways/gateway-errors';
import type { ReconRun } from '../../db/repositories/recon-repository';
import type { Actor } from '../actor';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { addDays, type ReconService } from './recon-service';

/** The platforms' codes for "the bill of that day is not there (yet)". */
const NOT_YET = new Set(['STATEMENT_CREATING', 'BILL_NOT_READY']);
const NO_BILL = new Set(['NO_STATEMENT_EXIST', 'isp.bill_not_exist', 'BILL_NOT_EXIST']);

/** A failed download in the accountant's words: not published yet, no bill for the day, a file that fails its check, the platform unreachable. */
export function billDownloadError(channel: PaymentMethod, date: string, e: unknown): unknown {
  const label = PAYMENT_METHOD_LABELS[channel];
  if (e instanceof GatewayRejected) {
    if (NOT_YET.has(e.code)) return new DomainError('RECON_BILL_NOT_READY', `${label} ${date} 的账单尚未生成：支付平台在次日上午提供前一天的账单，请稍后再试`);
    if (NO_BILL.has(e.code)) return new DomainError('RECON_BILL_NOT_FOUND', `${label}没有 ${date} 的账单（当天没有交易，或账单尚未生成）`);
    return new DomainError('RECON_BILL_REFUSED', `${label}拒绝了账单下载：${e.message}（${e.code}）`);
  }
  if (e instanceof ResponseUnverified)
    return new DomainError('RECON_BILL_UNVERIFIED', `下载的${label}账单没有通过校验，未导入：${e.message}。请重新下载；如反复出现，请联系支付平台`);
  if (e instanceof GatewayOutcomeUnknown) return new DomainError('RECON_BILL_DOWNLOAD_FAILED', `下载${label}账单失败：${e.message}。请检查网络后重试`);
  return e;
}

/**
 * 从平台下载账单 (issue 6, Bills in): the day's bill fetched from the platform through its adapter —
 * which checks it (WeChat's SHA1, the bank's trailer and signature, Alipay's archive) — and
 * reconciled at once like an imported file. The scheduled runs download the same way
 * (ReconService.runScheduled); this is the accountant asking for one day now.
 */
export class PlatformBills {
  constructor(
    private readonly gateways: GatewayRegistry,
    private readonly recon: Pick<ReconService, 'importBill'>,
    private readonly clock: Clock,
  ) {}

  async run(actor: Actor, input: { channel: PaymentMethod; date: string }): Promise<ReconRun> {
    const { channel, date } = input;
    const label = PAYMENT_METHOD_LABELS[channel];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || addDays(date, 0) !== date) throw new DomainError('RECON_DATE_INVALID', `对账日期不正确：${date}（应为 YYYY-MM-DD）`);
    if (date >= shanghaiDate(this.clock.now())) throw new DomainError('RECON_BILL_NOT_READY', `${label} ${date} 的账单尚未生成：支付平台在次日提供前一天的账单，只能下载昨天及以前的账单`);
    if (!this.gateways.has(channel)) throw new DomainError('CHANNEL_NOT_CONFIGURED', `${label}尚未配置（系统设置 → 支付渠道配置），无法从平台下载账单；可以从商户平台下载账单文件后导入`);
    let file;
    try {
      file = await this.gateways.get(channel).downloadBill({ date, type: 'all' });
    } catch (e) {
      throw billDownloadError(channel, date, e);
    }
    const fileName = `${channel}-${date}.${file.format === 'alipay-zip' ? 'zip' : 'csv'}`;
    return this.recon.importBill(actor, { channel, date, fileName, file: { bytes: file.bytes } });
  }
}
