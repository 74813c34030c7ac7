import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeTransferFailure, TRANSFER_FAILURE_TEXT } from '../../../src-main/core/batches/transfer-failures';
import { TRANSFER_FAIL_TEXT } from '../../../src-main/gateways/bank/protocol';
import { NON_RETRYABLE_TRANSFER_FAILURES } from '../../../src-main/gateways/wechat/wechat-wire';

const CHANNELS = ['wechat', 'alipay', 'bank'] as const;

describe('transfer failure reasons in the accountant’s words, the code beside them', () => {
  it('WeChat reports a bare fail_reason code', () => {
    expect(describeTransferFailure('wechat', 'NAME_NOT_CORRECT')).toBe('收款人姓名与账户不一致（NAME_NOT_CORRECT）');
    expect(describeTransferFailure('wechat', 'REAL_NAME_CHECK_FAIL')).toBe('收款人未完成微信实名认证（REAL_NAME_CHECK_FAIL）');
    expect(describeTransferFailure('wechat', 'OVERDUE_CLOSE')).toBe('超过重试期限，微信支付已关闭转账（OVERDUE_CLOSE）');
  });

  it('a refused request (the executor writes "code message") reads as the code’s sentence', () => {
    expect(describeTransferFailure('wechat', 'NOT_ENOUGH 微信支付拒绝了请求：余额不足（NOT_ENOUGH）')).toBe('商户运营账户余额不足（NOT_ENOUGH）');
    expect(describeTransferFailure('bank', 'SYSTEM_BUSY 支付机构返回 SYSTEM_BUSY：系统繁忙，请稍后重试')).toBe('支付机构系统繁忙（SYSTEM_BUSY）');
    expect(describeTransferFailure('alipay', 'PAYEE_NOT_EXIST 支付宝拒绝：收款账号不存在（PAYEE_NOT_EXIST）')).toBe('收款支付宝账号不存在（PAYEE_NOT_EXIST）');
  });

  it('Alipay: the gateway’s sentence with the sub_code, or Alipay’s own wording without it', () => {
    expect(describeTransferFailure('alipay', '支付宝拒绝：支付宝账号和姓名不匹配，请确认姓名是否正确（PAYEE_USER_INFO_ERROR）')).toBe('收款人姓名与支付宝账号不一致（PAYEE_USER_INFO_ERROR）');
    expect(describeTransferFailure('alipay', '支付宝账号和姓名不匹配，请确认姓名是否正确')).toBe('收款人姓名与支付宝账号不一致（PAYEE_USER_INFO_ERROR）');
    expect(describeTransferFailure('alipay', '付款方余额不足')).toBe('付款方支付宝余额不足（PAYER_BALANCE_NOT_ENOUGH）');
  });

  it('the bank’s fail_code sentences keep their code', () => {
    expect(describeTransferFailure('bank', '收款户名与账号不符（ACCOUNT_NAME_MISMATCH）')).toBe('收款户名与账号不一致（ACCOUNT_NAME_MISMATCH）');
    expect(describeTransferFailure('bank', '收款银行暂不可用（BANK_UNAVAILABLE）')).toBe('收款银行暂不可用（BANK_UNAVAILABLE）');
  });

  it('an unknown code keeps the platform’s words (or 转账失败) and the code; our own sentences and unknown outcomes pass unchanged', () => {
    expect(describeTransferFailure('wechat', 'SOMETHING_NEW')).toBe('转账失败（SOMETHING_NEW）');
    expect(describeTransferFailure('alipay', '支付宝拒绝：新的错误（NEW_SUB_CODE）')).toBe('新的错误（NEW_SUB_CODE）');
    expect(describeTransferFailure('wechat', '收款人未在有效期内确认收款，转账已撤销')).toBe('收款人未在有效期内确认收款，转账已撤销');
    expect(describeTransferFailure('wechat', 'HTTP 500（结果未知，需先查询）')).toBe('HTTP 500（结果未知，需先查询）');
    expect(describeTransferFailure('bank', '')).toBe('转账失败');
    expect(describeTransferFailure('bank', null)).toBe('转账失败');
  });

  it('every code the adapters and simulators know of has a Chinese sentence', () => {
    for (const code of NON_RETRYABLE_TRANSFER_FAILURES) expect(TRANSFER_FAILURE_TEXT.wechat[code], code).toMatch(/[\u4e00-\u9fff]/);
    for (const code of Object.keys(TRANSFER_FAIL_TEXT)) expect(TRANSFER_FAILURE_TEXT.bank[code], code).toMatch(/[\u4e00-\u9fff]/);
    for (const code of ['PAYEE_NOT_EXIST', 'PAYEE_USER_INFO_ERROR', 'PAYER_BALANCE_NOT_ENOUGH', 'PAYEE_ACCOUNT_STATUS_ERROR']) expect(TRANSFER_FAILURE_TEXT.alipay[code], code).toMatch(/[\u4e00-\u9fff]/);
    for (const channel of CHANNELS) for (const [code, text] of Object.entries(TRANSFER_FAILURE_TEXT[channel])) expect(describeTransferFailure(channel, code)).toBe(`${text}（${code}）`);
  });

  it('applying it twice changes nothing, and a code never gets lost', () => {
    const code = fc.stringMatching(/^[A-Z][A-Z0-9]{0,6}_[A-Z0-9_]{0,10}[A-Z0-9]$/);
    const anyReason = fc.oneof(
      code,
      fc.tuple(code, fc.string()).map(([c, m]) => `${c} ${m}`),
      fc.tuple(fc.string(), code).map(([m, c]) => `${m}（${c}）`),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...CHANNELS), anyReason, (channel, raw) => {
        const once = describeTransferFailure(channel, raw);
        expect(describeTransferFailure(channel, once)).toBe(once);
        const leading = /^([A-Z][A-Z0-9_.]*_[A-Z0-9_.]*[A-Z0-9])(\s|$)/.exec(raw.trim());
        if (leading) expect(once).toContain(`（${leading[1]}）`);
      }),
    );
  });
});
