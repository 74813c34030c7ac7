/**
 * The fields of 支付渠道配置 in the words of the platforms' own consoles. One map for the three
 * places that name them: the validation messages (which start with the label, so the form can put
 * a message under its field), the channel form, and the audit log's before/after view.
 */
export const CHANNEL_FIELD_LABELS = {
  appId: 'AppID',
  mchId: '商户号',
  merchantSerialNo: '商户证书序列号',
  endpoint: '接口地址',
  gatewayUrl: '网关地址',
  merchantId: '商户编号',
  terminalId: '终端号',
  merchantPrivateKey: '商户私钥',
  apiV3Key: 'APIv3 密钥',
  appPrivateKey: '应用私钥',
} as const;
export type ChannelField = keyof typeof CHANNEL_FIELD_LABELS;
