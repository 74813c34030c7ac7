import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLine, checkLines, describeIssues, duplicateIssues, parseAmountCell, parseChannel, payeeKey, type LineCandidate } from '../../../src-main/core/batches/batch-lines';
import { MAX_BATCH_ITEMS } from '../../../src-main/core/batches/batch-state';

const line = (over: Partial<LineCandidate> = {}): LineCandidate => ({ rowNo: 2, payeeName: '张三', channel: '银行转账', account: '6222021234567890123', bankName: '中国工商银行', amount: '100.00', ...over });
const issues = (c: LineCandidate) => checkLine(c).issues.map((i) => `${i.field}:${i.message}`);

describe('a batch line', () => {
  it('accepts the three channels in the words people use, and normalizes a grouped bank account', () => {
    expect(parseChannel('银行转账')).toBe('bank');
    expect(parseChannel(' WeChat ')).toBe('wechat');
    expect(parseChannel('支付宝')).toBe('alipay');
    expect(parseChannel('现金')).toBeNull();
    const r = checkLine(line({ account: '6222 0212-3456 7890 123' }));
    expect(r.line).toMatchObject({ channel: 'bank', account: '6222021234567890123', amountFen: 10_000 });
  });

  it('checks each account against its channel', () => {
    expect(issues(line({ account: '12345' }))).toEqual(['account:银行账号应为 8 至 32 位数字']);
    expect(issues(line({ bankName: '' }))).toEqual(['bankName:银行转账需填写开户银行']);
    expect(issues(line({ channel: '微信转账', account: 'o!bad' }))).toEqual(['account:微信 OpenID 格式不正确（6 至 64 位字母、数字、- 或 _）']);
    expect(checkLine(line({ channel: '微信转账', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', bankName: 'ignored' })).line?.bankName).toBe('');
    for (const ok of ['a.b@example.com', '13812345678', '2088102177846881']) expect(issues(line({ channel: '支付宝', account: ok }))).toEqual([]);
    for (const bad of ['12345678901', '2088123', 'nobody@', '']) expect(issues(line({ channel: '支付宝', account: bad }))).toHaveLength(1);
  });

  it('lists every problem of a row, not the first', () => {
    expect(issues({ rowNo: 7, payeeName: '', channel: '银行转账', account: 'x', amount: '1.234', remark: 'a'.repeat(65), contactPhone: '123' })).toEqual([
      'payeeName:请填写收款人姓名',
      'account:银行账号应为 8 至 32 位数字',
      'bankName:银行转账需填写开户银行',
      'amount:金额最多保留两位小数',
      'remark:备注不能超过 64 个字符',
      'contactPhone:手机号应为 11 位大陆手机号',
    ]);
    expect(issues(line({ payeeName: '62220212' }))).toEqual(['payeeName:收款人姓名不能全是数字（是否填到了账号列？）']);
    expect(issues(line({ amount: '' }))).toEqual(['amount:请填写金额']);
    expect(issues(line({ amount: '1000000.01' }))).toEqual(['amount:单笔金额不能超过 ¥1,000,000.00']);
  });

  it('reads amount cells: text as typed, grouped thousands, currency signs, and number cells within a millionth of a fen', () => {
    expect(parseAmountCell('5,000.50')).toBe(500_050);
    expect(parseAmountCell('¥ 12.3')).toBe(1_230);
    expect(parseAmountCell('8元')).toBe(800);
    expect(parseAmountCell(0.1 + 0.2)).toBe(30);
    expect(parseAmountCell(3000.0000000000005)).toBe(300_000);
    expect(() => parseAmountCell(12.345)).toThrow('金额最多保留两位小数');
    expect(() => parseAmountCell('1,23.00')).toThrow();
    expect(() => parseAmountCell(-1)).toThrow('金额不能为负数');
  });

  it('property: any whole-fen amount written as a number cell or as text reads back to the same fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), (fen) => {
        const text = `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        expect(parseAmountCell(text)).toBe(fen);
        expect(parseAmountCell(Number(text))).toBe(fen);
      }),
    );
  });
});

describe('lines of a batch', () => {
  it('totals only valid lines and refuses empty and oversized batches', () => {
    const r = checkLines([line({ rowNo: 2, amount: '1.50' }), line({ rowNo: 3, amount: 'x' }), line({ rowNo: 4, amount: 2 })]);
    expect(r.totalFen).toBe(350);
    expect(r.errors.map((e) => e.rowNo)).toEqual([3]);
    expect(checkLines([]).errors[0]!.message).toBe('没有收款明细：请至少填写一行');
    const many = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => line({ rowNo: i + 2, account: `62220212${String(i).padStart(8, '0')}` }));
    expect(checkLines(many).errors.at(-1)!.message).toBe(`一个批量任务最多 ${MAX_BATCH_ITEMS} 笔，本次 ${MAX_BATCH_ITEMS + 1} 笔，请拆分`);
  });

  it('flags the same payee twice in the file and payees in open batches', () => {
    const lines = checkLines([line({ rowNo: 2 }), line({ rowNo: 3, channel: '支付宝', account: 'A@x.com', bankName: '' }), line({ rowNo: 4, channel: '支付宝', account: 'a@x.com', bankName: '' }), line({ rowNo: 5, account: '6222 0212 3456 7890 123' })]).lines;
    const open = [{ key: payeeKey('bank', '6222021234567890123'), batchNo: 'B20261126100000123456', amountFen: 500 }];
    expect(duplicateIssues(lines, open).map((i) => [i.rowNo, i.message])).toEqual([
      [2, '该收款账号已在未完成的批量任务中：B20261126100000123456（¥5.00）'],
      [4, '与第 3 行的收款账号重复（支付宝转账，张三 ¥100.00）'],
      [5, '与第 2 行的收款账号重复（银行转账，张三 ¥100.00）'],
      [5, '该收款账号已在未完成的批量任务中：B20261126100000123456（¥5.00）'],
    ]);
  });

  it('describes problems for a message, at most a few of them', () => {
    const errs = checkLines([line({ rowNo: 2, amount: '0' }), line({ rowNo: 3, payeeName: '' }), line({ rowNo: 4, account: '1' })]).errors;
    expect(describeIssues(errs, 2)).toBe('第 2 行 金额：金额必须大于 0；第 3 行 收款人姓名：请填写收款人姓名；等共 3 处问题');
    expect(describeIssues(errs.slice(0, 1), 5, '笔')).toBe('第 2 笔 金额：金额必须大于 0');
  });

  it('property: valid random lines all pass and their total is their sum; a line made invalid is reported on its own row', () => {
    const validLine = fc.record({
      channel: fc.constantFrom('bank', 'wechat', 'alipay'),
      fen: fc.integer({ min: 1, max: 100_000_000 }),
      n: fc.integer({ min: 0, max: 9_999_999 }),
    });
    fc.assert(
      fc.property(fc.array(validLine, { minLength: 1, maxLength: 30 }), fc.nat(), (ls, pick) => {
        const candidates = ls.map((l, i) => ({
          rowNo: i + 2, payeeName: `收款人${i}`, channel: l.channel, bankName: '银行',
          account: l.channel === 'bank' ? `6222${String(l.n).padStart(8, '0')}` : l.channel === 'wechat' ? `oW${String(l.n).padStart(8, '0')}` : `u${l.n}@example.com`,
          amountFen: l.fen,
        }));
        const ok = checkLines(candidates);
        expect(ok.errors).toEqual([]);
        expect(ok.totalFen).toBe(ls.reduce((s, l) => s + l.fen, 0));
        const bad = pick % candidates.length;
        const broken = checkLines(candidates.map((c, i) => (i === bad ? { ...c, amountFen: 0 } : c)));
        expect(broken.errors.map((e) => e.rowNo)).toEqual([bad + 2]);
        expect(broken.lines).toHaveLength(candidates.length - 1);
      }),
    );
  });
});
