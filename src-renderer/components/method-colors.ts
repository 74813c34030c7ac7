import type { PaymentMethod } from '../app/api-types';

/** One colour per payment method wherever methods are compared (statistics, charts): green WeChat, blue Alipay, orange bank. */
export const METHOD_COLORS: Record<PaymentMethod, string> = { wechat: '#52c41a', alipay: '#1677ff', bank: '#fa8c16' };
