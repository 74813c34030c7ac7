import { createReadStream } from 'node:fs';
import type { PaymentMethod } from '../../core/orders/order-types';
import { readAlipayBill } from '../../gateways/alipay/alipay-bill-reader';
import { readBankBill } from '../../gateways/bank/bank-bill-reader';
import type { BillRecord } from '../../core/reconciliation/bill-record';
import type { BillStream } from '../../gateways/bill-stream';
import { readWechatBill, rereadWechatBill } from '../../gateways/wechat/wechat-bill-reader';

/** A bill file: downloaded or uploaded bytes, or a path on disk (the CLI), read as a stream. */
export type BillInput = { bytes: Buffer } | { path: string };

/**
 * A bill opened with its channel's streaming reader, and, where the format makes it cheap, a second
 * pass over the same file that parses only the given lines (ascending): the reconciliation reads the
 * few lines that became differences again instead of keeping every line.
 */
export type OpenedBill = BillStream & { reread?: (lines: readonly number[]) => AsyncIterable<BillRecord> };

/** Opens a channel's bill with its streaming reader; nothing is read until the stream is iterated. */
export type OpenBill = (channel: PaymentMethod, input: BillInput, fileName: string, billDate: string) => OpenedBill;

export const openBill: OpenBill = (channel, input, fileName, billDate) => {
  switch (channel) {
    case 'wechat': {
      const first = readWechatBill('bytes' in input ? input.bytes : createReadStream(input.path), fileName, billDate);
      return { ...first, reread: (lines) => rereadWechatBill('bytes' in input ? input.bytes : { path: input.path }, fileName, billDate, lines) };
    }
    case 'alipay':
      // A ZIP's directory is at its end: the reader opens the archive itself (by path or from the bytes).
      return readAlipayBill('bytes' in input ? input.bytes : input.path, fileName, billDate);
    case 'bank':
      return readBankBill('bytes' in input ? input.bytes : createReadStream(input.path), fileName, billDate);
  }
};
