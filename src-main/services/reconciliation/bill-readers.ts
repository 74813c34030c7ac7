import { createReadStream } from 'node:fs';
import type { PaymentMethod } from '../../core/orders/order-types';
import { readAlipayBill } from '../../gateways/alipay/alipay-bill-reader';
import { readBankBill } from '../../gateways/bank/bank-bill-reader';
import type { BillStream } from '../../gateways/bill-stream';
import { readWechatBill } from '../../gateways/wechat/wechat-bill-reader';

/** A bill file: downloaded or uploaded bytes, or a path on disk (the CLI), read as a stream. */
export type BillInput = { bytes: Buffer } | { path: string };

/** Opens a channel's bill with its streaming reader; nothing is read until the stream is iterated. */
export type OpenBill = (channel: PaymentMethod, input: BillInput, fileName: string, billDate: string) => BillStream;

export const openBill: OpenBill = (channel, input, fileName, billDate) => {
  switch (channel) {
    case 'wechat':
      return readWechatBill('bytes' in input ? input.bytes : createReadStream(input.path), fileName, billDate);
    case 'alipay':
      // A ZIP's directory is at its end: the reader opens the archive itself (by path or from the bytes).
      return readAlipayBill('bytes' in input ? input.bytes : input.path, fileName, billDate);
    case 'bank':
      return readBankBill('bytes' in input ? input.bytes : createReadStream(input.path), fileName, billDate);
  }
};
