import ExcelJS from 'exceljs';
import type { BatchItem, PayoutBatch } from '../../core/batches/batch';
import { arrivalRuleOf } from '../../core/batches/batch-policy';
import type { BatchProgress } from '../../core/batches/batch-progress';
import { BATCH_SOURCE_LABELS, BATCH_STATUS_LABELS, BATCH_TYPE_LABELS, ITEM_STATUS_LABELS, itemRefOf } from '../../core/batches/batch-state';
import { describeTransferFailure } from '../../core/batches/transfer-failures';
import { maskPayee, PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';
import { formatShanghai } from '../../core/time';

/**
 * 批量付款结果报表 (design document 4.5.3): a summary sheet (the batch, its approvals' outcome, the
 * counts and amounts per result) and one row per item with its result, request id, platform number,
 * failure reason, expected arrival and voucher. Accounts are masked, amounts are numbers in yuan
 * with two decimals (so the sheet sums them), times in Asia/Shanghai.
 */
export async function buildBatchReport(batch: PayoutBatch, items: readonly BatchItem[], progress: BatchProgress, generatedAt: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '支付中心';
  const yuan = (fen: number) => fen / 100;
  const time = (t: number | null) => (t === null ? '' : formatShanghai(t));

  const summary = wb.addWorksheet('汇总');
  summary.columns = [{ width: 18 }, { width: 40 }];
  const title = summary.addRow([`批量付款结果报表 ${batch.batchNo}`]);
  title.font = { bold: true, size: 14 };
  const lines: [string, string | number][] = [
    ['任务名称', batch.title],
    ['类型', BATCH_TYPE_LABELS[batch.type]],
    ['来源', BATCH_SOURCE_LABELS[batch.sourceKind] + (batch.sourceRef ? `（${batch.sourceRef}）` : '')],
    ['状态', BATCH_STATUS_LABELS[batch.status]],
    ['制单人', batch.createdByName],
    ['创建时间', time(batch.createdAt)],
    ['审批通过时间', time(batch.approvedAt)],
    ['开始执行时间', time(batch.startedAt)],
    ['结束时间', time(batch.finishedAt ?? batch.cancelledAt)],
    ['总笔数', progress.totalCount],
    ['总金额（元）', yuan(progress.totalFen)],
    ['成功笔数', progress.successCount],
    ['成功金额（元）', yuan(progress.successFen)],
    ['失败笔数', progress.failedCount],
    ['失败金额（元）', yuan(progress.failedFen)],
    ['已取消笔数', progress.cancelledCount],
    ['处理中笔数', progress.inFlightCount + progress.pendingCount],
    ['报表生成时间', time(generatedAt)],
  ];
  for (const [k, v] of lines) {
    const row = summary.addRow([k, v]);
    if (k.endsWith('（元）')) row.getCell(2).numFmt = '#,##0.00';
  }

  const detail = wb.addWorksheet('明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = [
    { header: '序号', key: 'seq', width: 7 },
    { header: '明细编号', key: 'ref', width: 29 },
    { header: '收款人', key: 'payee', width: 14 },
    { header: '收款方式', key: 'channel', width: 11 },
    { header: '收款账号', key: 'account', width: 24 },
    { header: '开户银行', key: 'bank', width: 20 },
    { header: '金额（元）', key: 'amount', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '状态', key: 'status', width: 10 },
    { header: '转账请求号', key: 'transferNo', width: 31 },
    { header: '平台单号', key: 'platformNo', width: 28 },
    { header: '完成时间', key: 'finishedAt', width: 20 },
    { header: '到账', key: 'arrival', width: 22 },
    { header: '失败原因', key: 'failReason', width: 36 },
    { header: '付款凭证', key: 'voucherNo', width: 15 },
    { header: '备注', key: 'remark', width: 20 },
  ];
  detail.getRow(1).font = { bold: true };
  for (const i of items) {
    detail.addRow({
      seq: i.seq, ref: itemRefOf(batch.batchNo, i.seq), payee: i.payeeName, channel: PAYEE_CHANNEL_LABELS[i.channel], account: maskPayee(i.channel, i.account), bank: i.bankName,
      amount: yuan(i.amountFen), status: ITEM_STATUS_LABELS[i.status], transferNo: i.transferNo ?? '', platformNo: i.platformTransferNo ?? '', finishedAt: time(i.finishedAt),
      arrival: i.arrivalDate ? `${i.arrivalDate}（${i.arrivalRule ?? ''}）` : i.status === 'success' ? '' : `预计 ${arrivalRuleOf(i.channel)}`, failReason: i.failReason === null ? '' : describeTransferFailure(i.channel, i.failReason),
      voucherNo: i.voucherNo ?? '', remark: i.remark,
    });
  }
  const total = detail.addRow({ payee: '合计', amount: yuan(progress.totalFen) });
  total.font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
