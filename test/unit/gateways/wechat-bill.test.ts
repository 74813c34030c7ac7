import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Formatter } from 'wechatpay-axios-plugin';
import { parseTradeBill, REFUND_BILL_HEADER, SUCCESS_BILL_HEADER, TRADE_BILL_HEADER, writeTradeBill, type TradeBillLine } from '../../../src-main/gateways/wechat/wechat-bill';
import { codeUrlToken, sandboxCodeUrl, sandboxPayPageUrl } from '../../../src-main/gateways/wechat/wechat-sandbox';

/**
 * The trade bill format: our writer against the oracle's reader (wechatpay-axios-plugin
 * Formatter.castCsvBill, which expects the UTF-8 BOM, backticked cells and the two summary lines at the
 * end), and our reader against a real-format fixture (test/fixtures/wechat/tradebill-all.csv: the rows of
 * gunsluo/wechatpay-go helper_test.go plus a refund row in the shape of public merchant bills).
 */
const base = { appid: 'wx81be3101902f7cb2', mchid: '1601959334', openid: 'ofyak5qR_1wYsC99CsWA6R9MJazA', tradeType: 'NATIVE', description: '豪华大床房 定金', attach: '', rateBp: 60 };
const payment: TradeBillLine = { ...base, time: '2026-11-26 10:00:05', transactionId: '4200000925202611264997714292', outTradeNo: 'P001', kind: 'payment', orderFen: 990 };
const refund: TradeBillLine = {
  ...base,
  time: '2026-11-26 11:00:00',
  transactionId: '4200000925202611264997714292',
  outTradeNo: 'P001',
  kind: 'refund',
  orderFen: 990,
  refund: { refundId: '50300807092026112605990201735', outRefundNo: 'R001', amountFen: 990, status: 'SUCCESS', appliedAt: '2026-11-26 11:00:00', succeededAt: '2026-11-26 11:00:03' },
};

describe('WeChat trade bill file', () => {
  it('writes what the oracle reads: BOM, 27 columns, backticked cells, refund row and summary, amounts in yuan', () => {
    const bytes = writeTradeBill('ALL', [payment, refund]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // 0.60% of ¥9.90 is 5.94 fen, charged as 6 fen: per-line fees are rounded to the fen (WxJava: ¥6.00 → `0.04000).
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\n')[0]).toBe(TRADE_BILL_HEADER.join(','));
    expect(TRADE_BILL_HEADER).toHaveLength(27);
    const row = (values: string[]) => Object.fromEntries(TRADE_BILL_HEADER.map((h, i) => [h, values[i]]));
    expect(Formatter.castCsvBill(bytes)).toEqual({
      rows: [
        row(['2026-11-26 10:00:05', 'wx81be3101902f7cb2', '1601959334', '0', '', '4200000925202611264997714292', 'P001', 'ofyak5qR_1wYsC99CsWA6R9MJazA', 'NATIVE', 'SUCCESS', 'OTHERS', 'CNY', '9.90', '0.00', '0', '0', '0.00', '0.00', '', '', '豪华大床房 定金', '', '0.06000', '0.60%', '9.90', '0.00', '']),
        row(['2026-11-26 11:00:00', 'wx81be3101902f7cb2', '1601959334', '0', '', '4200000925202611264997714292', 'P001', 'ofyak5qR_1wYsC99CsWA6R9MJazA', 'NATIVE', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', '50300807092026112605990201735', 'R001', '9.90', '0.00', 'ORIGINAL', 'SUCCESS', '豪华大床房 定金', '', '-0.06000', '0.60%', '0.00', '9.90', '']),
      ],
      summary: { 总交易单数: '2', 应结订单总金额: '9.90', 退款总金额: '9.90', 充值券退款总金额: '0.00', 手续费总金额: '0.00000', 订单总金额: '9.90', 申请退款总金额: '9.90' },
    });
  });

  it('filters SUCCESS and REFUND bills: SUCCESS has no refund columns, REFUND has the two refund time columns', () => {
    const success = parseTradeBill(writeTradeBill('SUCCESS', [payment, refund]));
    expect(success.header).toEqual(['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注']);
    expect(SUCCESS_BILL_HEADER).toHaveLength(20);
    expect(success.rows).toEqual([expect.objectContaining({ 交易状态: 'SUCCESS', 订单金额: '9.90', 手续费: '0.06000', 费率备注: '' })]);
    expect(success.summary).toMatchObject({ 总交易单数: '1', 退款总金额: '0.00', 手续费总金额: '0.06000' });
    const refunds = parseTradeBill(writeTradeBill('REFUND', [payment, refund]));
    expect(refunds.header).toEqual(REFUND_BILL_HEADER);
    expect(REFUND_BILL_HEADER).toHaveLength(29);
    expect(refunds.rows).toHaveLength(1);
    expect(refunds.rows[0]).toMatchObject({ 交易状态: 'REFUND', 退款申请时间: '2026-11-26 11:00:00', 退款成功时间: '2026-11-26 11:00:03', 商户退款单号: 'R001', 申请退款金额: '9.90' });
    expect(refunds.summary).toMatchObject({ 总交易单数: '1', 退款总金额: '9.90', 手续费总金额: '-0.06000' });
  });

  it('reads a real-format bill by header name, with or without BOM', () => {
    const fixture = readFileSync(new URL('../../fixtures/wechat/tradebill-all.csv', import.meta.url));
    const bill = parseTradeBill(fixture);
    expect(bill.rows.map((r) => [r['商户订单号'], r['交易状态'], r['应结订单金额'], r['退款金额']])).toEqual([
      ['S20210128170702357723', 'SUCCESS', '0.01', '0.00'],
      ['S20210128153505214586', 'SUCCESS', '0.01', '0.00'],
      ['S20210128170702357723', 'REFUND', '0.00', '0.01'],
    ]);
    expect(bill.summary).toEqual({ 总交易单数: '3', 应结订单总金额: '0.02', 退款总金额: '0.01', 充值券退款总金额: '0.00', 手续费总金额: '0.00000', 订单总金额: '0.02', 申请退款总金额: '0.01' });
    expect(parseTradeBill(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture])).rows).toHaveLength(3);
    expect(() => parseTradeBill(Buffer.from('hello\nworld\n'))).toThrow(/不是微信支付交易账单/);
  });
});

describe('sandbox code_url', () => {
  it('keeps the weixin:// shape and maps to the simulator path', () => {
    const url = sandboxCodeUrl('NwY5Mz9');
    expect(url).toBe('weixin://wxpay/bizpayurl?pr=NwY5Mz9');
    expect(codeUrlToken(url)).toBe('NwY5Mz9');
    expect(sandboxPayPageUrl(url, 'http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000/wxpay/bizpayurl?pr=NwY5Mz9');
    expect(sandboxPayPageUrl('https://qr.alipay.com/x', 'http://127.0.0.1:4000')).toBeNull();
  });
});
