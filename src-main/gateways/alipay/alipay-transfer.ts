import type { TransferStatus } from '../gateway';
import { AlipayWireError } from './alipay-wire';

/**
 * Payouts with alipay.fund.trans.uni.transfer (product TRANS_ACCOUNT_NO_PWD, scene DIRECT_TRANSFER) and
 * alipay.fund.trans.common.query (PROTOCOLS.md marked it unverified; confirmed in alipay-sdk-java-all
 * v3/docs/AlipayFundTransCommonApi.md: query by product_code + biz_scene + out_biz_no, "主要应用于统一转账接口
 * (alipay.fund.trans.uni.transfer)"). Status values for uni.transfer orders: SUCCESS, FAIL, DEALING, REFUND
 * (DEALING/REFUND only for bank cards) — alipay-sdk-java-all AlipayFundTransCommonQueryResponse.java.
 */
export function transferState(status: string | undefined): TransferStatus['state'] {
  switch (status) {
    case 'SUCCESS':
      return 'success';
    case 'DEALING':
    case 'WAIT_PAY':
    case 'INIT':
      return 'processing';
    case 'FAIL':
    case 'REFUND':
      return 'failed';
    case 'CLOSED':
      return 'cancelled';
    default:
      throw new AlipayWireError(`未知的转账状态 ${String(status)}`);
  }
}

/**
 * Business error codes that are a definite failure of THIS transfer, not of the request. The payee's
 * problems need a person (fix the account or the name); the payer's balance can be topped up and the
 * same out_biz_no sent again. Codes and meanings as Alipay's error table lists them (e.g.
 * PAYEE_USER_INFO_ERROR 支付宝账号和姓名不匹配, PAYER_BALANCE_NOT_ENOUGH 付款方余额不足).
 */
const PAYEE_FAULTS = new Set([
  'PAYEE_NOT_EXIST', 'PAYEE_USER_INFO_ERROR', 'PAYEE_ACCOUNT_STATUS_ERROR', 'PAYEE_ACC_OCUPIED', 'PAYEE_ACCOUNT_NOT_EXSIT',
  'PAYEE_USERINFO_STATUS_ERROR', 'PERM_AML_NOT_REALNAME_REV', 'PAYEE_CARD_INFO_ERROR', 'INVALID_CARDNO',
]);
const PAYER_FAULTS = new Set(['PAYER_BALANCE_NOT_ENOUGH', 'BALANCE_IS_NOT_ENOUGH']);

export function transferFailure(code: string, reason: string): { failReason: string; retryable: boolean } | undefined {
  if (PAYEE_FAULTS.has(code)) return { failReason: reason, retryable: false };
  if (PAYER_FAULTS.has(code)) return { failReason: reason, retryable: true };
  return undefined;
}
