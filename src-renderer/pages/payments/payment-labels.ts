import type { ChannelInput, ChannelOutput } from '../../../src-main/api/contract';
import type { PaymentMethod } from '../../app/api-types';

export type PayScene = ChannelInput<'payments.start'>['scene'];
export type StartedPayment = ChannelOutput<'payments.start'>;
export type PaymentException = ChannelOutput<'payments.exceptions'>['items'][number];
export type ExceptionKind = PaymentException['kind'];
export type ExceptionStatus = PaymentException['status'];

export interface SceneInfo {
  scene: PayScene;
  label: string;
  /** What the cashier tells the payer to do. */
  hint: string;
  /** Why the scene cannot be used from a desk, when it cannot. */
  notAtDesk?: string;
  /** Bank quick pay charges a card the payer bound earlier: the cashier types its token. */
  needsCardToken?: boolean;
}

/**
 * The ways a payer can pay by each method (the gateways' SCENES_BY_PLATFORM), in the order a cashier
 * at a desk prefers them: a QR code the payer scans comes first. The words are the platforms' own
 * product names as accountants know them from the merchant consoles.
 */
export const SCENES_BY_METHOD: Record<PaymentMethod, readonly SceneInfo[]> = {
  wechat: [
    { scene: 'wechat_native', label: '扫码支付', hint: '请付款人打开微信「扫一扫」扫描二维码' },
    // JSAPI needs the payer's openid in our mini-program: only the mini-program itself can start it.
    { scene: 'wechat_jsapi', label: '小程序支付', hint: '', notAtDesk: '需付款人在小程序内发起（需要其 openid），收款台不适用' },
  ],
  alipay: [
    { scene: 'alipay_precreate', label: '当面付扫码', hint: '请付款人打开支付宝「扫一扫」扫描二维码' },
    { scene: 'alipay_page', label: '电脑网站支付', hint: '在电脑浏览器中打开支付宝收银台，付款人登录支付宝完成付款' },
    { scene: 'alipay_wap', label: '手机网站支付', hint: '请付款人用手机扫码，在手机浏览器中打开支付宝收银台' },
  ],
  bank: [
    { scene: 'bank_online', label: '网银支付', hint: '在浏览器中打开银行网银支付页面，付款人登录网银完成付款' },
    { scene: 'bank_quick', label: '快捷支付', hint: '向付款人已绑定的银行卡发起扣款，持卡人凭短信验证码确认', needsCardToken: true },
  ],
};

export function sceneInfo(scene: PayScene): SceneInfo | undefined {
  return Object.values(SCENES_BY_METHOD)
    .flat()
    .find((s) => s.scene === scene);
}

/** The exception kinds of payments.exceptions (design document 5.2: money that arrived where it cannot be taken). */
export const EXCEPTION_KIND_LABELS: Record<ExceptionKind, string> = {
  paid_after_close: '已取消后到账',
  amount_mismatch: '金额不一致',
  duplicate_payment: '重复支付',
  unknown_order: '未知订单',
  wrong_channel: '渠道不符',
};

export const EXCEPTION_KIND_COLORS: Record<ExceptionKind, string> = {
  paid_after_close: 'orange',
  amount_mismatch: 'red',
  duplicate_payment: 'volcano',
  unknown_order: 'magenta',
  wrong_channel: 'purple',
};

export const EXCEPTION_STATUS_LABELS: Record<ExceptionStatus, string> = { open: '待处理', resolved: '已处理' };
