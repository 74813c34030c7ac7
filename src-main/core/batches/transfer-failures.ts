import type { PayeeChannel } from '../suppliers/supplier-payment';

/**
 * Why a payout transfer failed, in the accountant's words with the platform's code beside it to quote
 * to the platform's support: 「收款人姓名与账户不一致（NAME_NOT_CORRECT）」 (issue 7, UI review: the
 * screens showed bare codes). Pure: the settlement stores the sentence, the views pass old rows
 * through it again (it leaves a finished sentence as it is).
 *
 * Sources of the codes:
 *  - WeChat 商家转账 (transfer-bills) fail_reason: pay.weixin.qq.com/doc/v3/merchant/4013774966
 *    「订单失败原因说明」, plus the request errors of the transfer call (NOT_ENOUGH, NO_AUTH, …);
 *  - Alipay alipay.fund.trans.uni.transfer / common.query sub_code (the error table of the API page,
 *    as gateways/alipay/alipay-transfer.ts classifies them);
 *  - the bank institution's transfer fail_code and error codes (gateways/bank/protocol.ts §5–§6).
 */
const WECHAT: Readonly<Record<string, string>> = {
  ACCOUNT_FROZEN: '收款人微信账户已被冻结',
  ACCOUNT_NOT_EXIST: '收款人微信账户不存在',
  BANK_CARD_ACCOUNT_ABNORMAL: '收款银行卡已销户、冻结或挂失，无法入账',
  BANK_CARD_BANK_INFO_WRONG: '收款银行名称或支行信息有误',
  BANK_CARD_CARD_INFO_WRONG: '收款银行卡户名或卡号有误',
  BANK_CARD_COLLECTIONS_ABOVE_QUOTA: '收款银行卡（二、三类卡）已达收款限额',
  BANK_CARD_PARAM_ERROR: '收款银行卡信息有误',
  BANK_CARD_STATUS_ABNORMAL: '收款银行卡状态异常，无法入账',
  BLOCK_B2C_USERLIMITAMOUNT_BSRULE_MONTH: '已超出收款人本月转账收款限额',
  BLOCK_B2C_USERLIMITAMOUNT_MONTH: '收款人账户存在风险，本月收款受限',
  DAY_RECEIVED_COUNT_EXCEED: '超过收款人当日收款次数上限',
  DAY_RECEIVED_QUOTA_EXCEED: '超过收款人当日收款额度',
  MONTH_RECEIVED_QUOTA_EXCEED: '超过收款人当月收款额度',
  EXCEEDED_ESTIMATED_AMOUNT: '转账金额超过预约金额范围',
  ID_CARD_NOT_CORRECT: '收款人身份证号与账户不一致',
  MCH_CANCEL: '商户已撤销转账',
  MERCHANT_REJECT: '商户转账验密人已驳回转账',
  MERCHANT_NOT_CONFIRM: '商户转账验密人超时未验密',
  NAME_NOT_CORRECT: '收款人姓名与账户不一致',
  OPENID_INVALID: '收款人 OpenID 有误或不属于本商户的公众账号',
  OTHER_FAIL_REASON_TYPE: '其他原因，请联系微信支付客服',
  OVERDUE_CLOSE: '超过重试期限，微信支付已关闭转账',
  PAYEE_ACCOUNT_ABNORMAL: '收款人账户收款异常，需在微信支付完善身份信息',
  PAYER_ACCOUNT_ABNORMAL: '商户付款账户受限',
  PRODUCT_AUTH_CHECK_FAIL: '商户未开通商家转账或权限已冻结',
  REALNAME_ACCOUNT_RECEIVED_QUOTA_EXCEED: '收款人账户收款受限',
  REAL_NAME_CHECK_FAIL: '收款人未完成微信实名认证',
  RECEIVE_ACCOUNT_NOT_CONFIGURE: '商户平台尚未配置该转账场景',
  TRANSFER_QUOTA_EXCEED: '超过收款人单笔收款额度',
  TRANSFER_REMARK_SET_FAIL: '转账备注设置失败',
  TRANSFER_RISK: '转账存在风险，已被微信支付拦截',
  TRANSFER_SCENE_INVALID: '商户未获得该转账场景的权限',
  TRANSFER_SCENE_UNAVAILABLE: '该转账场景暂不可用',
  // Refusals of the transfer request itself.
  NOT_ENOUGH: '商户运营账户余额不足',
  NO_AUTH: '商户无商家转账权限',
  PARAM_ERROR: '转账请求参数有误',
  INVALID_REQUEST: '转账请求不符合微信支付规则',
  FREQUENCY_LIMITED: '请求过于频繁，稍后重试',
  SYSTEM_ERROR: '微信支付系统繁忙',
};

const ALIPAY: Readonly<Record<string, string>> = {
  PAYEE_NOT_EXIST: '收款支付宝账号不存在',
  PAYEE_ACCOUNT_NOT_EXSIT: '收款支付宝账号不存在',
  PAYEE_USER_INFO_ERROR: '收款人姓名与支付宝账号不一致',
  PAYEE_ACCOUNT_STATUS_ERROR: '收款支付宝账户状态异常',
  PAYEE_USERINFO_STATUS_ERROR: '收款人身份信息状态异常',
  PAYEE_ACC_OCUPIED: '该手机号对应多个支付宝账户，请改用邮箱或 2088 开头的用户号',
  PAYEE_NOT_RELNAME_CERTIFY: '收款人未完成支付宝实名认证',
  PERM_AML_NOT_REALNAME_REV: '收款人需按监管要求补充身份信息后才能收款',
  PAYEE_CARD_INFO_ERROR: '收款银行卡信息有误',
  INVALID_CARDNO: '收款银行卡号无效',
  PAYER_BALANCE_NOT_ENOUGH: '付款方支付宝余额不足',
  BALANCE_IS_NOT_ENOUGH: '付款方支付宝余额不足',
  PAYER_STATUS_ERROR: '付款支付宝账户状态异常',
  PAYER_DATA_INCOMPLETE: '付款方需按监管要求补充身份信息',
  EXCEED_LIMIT_SM_AMOUNT: '超过单笔转账限额',
  EXCEED_LIMIT_DM_AMOUNT: '超过当日转账限额',
  EXCEED_LIMIT_MM_AMOUNT: '超过当月转账限额',
  PAYMENT_INFO_INCONSISTENCY: '同一转账单号的两次请求内容不一致',
  INVALID_PARAMETER: '转账请求参数有误',
  SYSTEM_ERROR: '支付宝系统繁忙',
};

const BANK: Readonly<Record<string, string>> = {
  ACCOUNT_INVALID: '收款账号不存在',
  ACCOUNT_NAME_MISMATCH: '收款户名与账号不一致',
  ACCOUNT_FROZEN: '收款账户已冻结或销户',
  BANK_UNAVAILABLE: '收款银行暂不可用',
  BALANCE_INSUFFICIENT: '商户可用余额不足',
  INVALID_PARAM: '转账请求参数有误',
  TRANSFER_CONFLICT: '转账单号重复且内容不一致',
  SYSTEM_BUSY: '支付机构系统繁忙',
};

export const TRANSFER_FAILURE_TEXT: Readonly<Record<PayeeChannel, Readonly<Record<string, string>>>> = { wechat: WECHAT, alipay: ALIPAY, bank: BANK };

/**
 * A failure known only by the platform's own wording (Alipay's query answers fail_reason without its
 * code): that wording, exactly, to its code.
 */
const PLATFORM_WORDING: Readonly<Record<PayeeChannel, Readonly<Record<string, string>>>> = {
  wechat: { 收款人姓名校验不通过请核实信息: 'NAME_NOT_CORRECT' },
  alipay: {
    收款账号不存在: 'PAYEE_NOT_EXIST',
    支付宝账号和姓名不匹配请确认姓名是否正确: 'PAYEE_USER_INFO_ERROR',
    付款方余额不足: 'PAYER_BALANCE_NOT_ENOUGH',
    收款方账户状态异常: 'PAYEE_ACCOUNT_STATUS_ERROR',
  },
  bank: { 收款户名与账号不符: 'ACCOUNT_NAME_MISMATCH', 收款账户已冻结或销户: 'ACCOUNT_FROZEN', 收款银行暂不可用: 'BANK_UNAVAILABLE' },
};

const CODE = '[A-Z][A-Z0-9_.]*[A-Z0-9]';
/** `NAME_NOT_CORRECT`, or `SYSTEM_BUSY 支付机构返回 …` (the executor's "code message" of a refused request). */
const LEADING_CODE = new RegExp(`^(${CODE})(?:\\s+([\\s\\S]*))?$`);
/** `…（ACCOUNT_NAME_MISMATCH）` at the end (the gateways' own sentences). */
const TRAILING_CODE = new RegExp(`[（(](${CODE})[）)]$`);
/** What the gateways put before the platform's words. */
const PREFIXES = [/^支付宝拒绝[：:]/, /^微信支付拒绝了请求[：:]/, /^支付机构返回 [A-Z0-9_]+[：:]/];

/** Punctuation and spaces ignored when a platform's wording is looked up (full- and half-width alike). */
const wordingKey = (s: string) => s.replace(/[\s，,。.；;：:！!（）()]/g, '');

/**
 * The accountant's sentence for a transfer failure as a platform (or the executor) reported it: a
 * known code becomes 「中文说明（CODE）」, an unknown one keeps the platform's words (or 转账失败) with
 * the code; a sentence without a code is kept, unless it is a platform's known wording. Applying it
 * twice changes nothing.
 */
export function describeTransferFailure(channel: PayeeChannel, raw: string | null | undefined): string {
  const text = (raw ?? '').trim();
  if (!text) return '转账失败';
  const table = TRANSFER_FAILURE_TEXT[channel];
  let code: string | undefined;
  let words = text;
  const leading = LEADING_CODE.exec(text);
  // A leading word is a code when it is a known one or looks like one (HTTP in "HTTP 500 …" is not).
  if (leading && (leading[1]! in table || leading[1]!.includes('_'))) {
    code = leading[1]!;
    words = (leading[2] ?? '').trim();
  }
  const trailing = TRAILING_CODE.exec(words);
  if (trailing && (code === undefined || trailing[1] === code)) {
    code = trailing[1]!;
    words = words.slice(0, trailing.index).trim();
  }
  for (const p of PREFIXES) words = words.replace(p, '').trim();
  if (code === undefined) {
    code = PLATFORM_WORDING[channel][wordingKey(words)];
    if (code === undefined) return text;
  }
  const known = table[code];
  return `${known ?? (words || '转账失败')}（${code}）`;
}
