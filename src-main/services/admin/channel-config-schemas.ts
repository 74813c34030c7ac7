import { z } from 'zod';
import { CHANNEL_FIELD_LABELS as F } from '../../core/channels/channel-field-labels';
import { DomainError } from '../../core/errors';
import type { Platform } from '../../gateways/gateway';
import { parsePrivateKey, parsePublicKey } from '../../security/key-material';

/**
 * What an administrator may save in 支付渠道配置, per platform. Used twice: by the contract (so the
 * renderer's input is typed and refused early) and by the service (so no other caller can store a
 * bad configuration). The schemas only check and trim; nothing changes shape, so parsing twice is
 * harmless. Every message names its field in Chinese and never repeats the value typed.
 */
export const CHANNEL_PLATFORMS = ['wechat', 'alipay', 'bank'] as const satisfies readonly Platform[];

export const CHANNEL_LABELS: Record<Platform, string> = { wechat: '微信支付', alipay: '支付宝', bank: '银行卡' };

const platform = z.enum(CHANNEL_PLATFORMS, '支付渠道必须是 微信支付/支付宝/银行卡 之一');

const filled = (label: string, max: number) =>
  z
    .string(`${label}：必须填写`)
    .trim()
    .min(1, `${label}：不能为空`)
    .max(max, `${label}：不能超过 ${max} 个字符`);

const ident = (label: string, re: RegExp, hint: string, max = 64) => filled(label, max).regex(re, `${label}：${hint}`);

const webUrl = (label: string) =>
  filled(label, 256).refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.hash;
    } catch {
      return false;
    }
  }, `${label}：不是有效的网址（例如 https://api.example.com）`);

const version = z.number('版本号不正确').int().min(1).nullable();

/** An optional secret: absent or blank keeps the stored one; anything typed replaces it. */
const optionalSecret = (inner: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .pipe(inner.optional());

const privateKeyPem = (label: string) =>
  z
    .string()
    .max(16_384, `${label}：内容过长`)
    .superRefine((v, ctx) => {
      try {
        parsePrivateKey(v, label);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `${label}：${(e as Error).message.replace(label, '')}` });
      }
    });

const publicKeyPem = (label: string) =>
  z
    .string(`${label}：必须填写`)
    .trim()
    .min(1, `${label}：不能为空`)
    .max(16_384, `${label}：内容过长`)
    .superRefine((v, ctx) => {
      try {
        parsePublicKey(v, label);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `${label}：${(e as Error).message.replace(label, '')}` });
      }
    });

/** APIv3 key: WeChat requires exactly 32 characters. */
const apiV3Key = z.string().regex(/^[\x21-\x7e]{32}$/, `${F.apiV3Key}：应为 32 个字符（字母、数字或符号，不含空格）`);
/** Bank api_key: at least 256 bits when it is random text (protocol.ts §4). */
const bankApiKey = z
  .string('API 密钥：必须填写')
  .trim()
  .regex(/^[\x21-\x7e]{32,128}$/, 'API 密钥：应为 32–128 个字符（字母、数字或符号，不含空格）');

const common = {
  enabled: z.boolean('启用：必须选择是或否'),
  sandbox: z.boolean('沙箱模式：必须选择是或否'),
  version,
};

/** Outside sandbox mode every endpoint is https (design document 5.1.1; gateways/http.ts enforces it again). */
function httpsUnlessSandbox<T extends { sandbox: boolean }>(fields: readonly [keyof T & string, string][]) {
  return (v: T, ctx: z.RefinementCtx) => {
    if (v.sandbox) return;
    for (const [field, label] of fields) {
      const url = v[field];
      if (typeof url === 'string' && !url.startsWith('https://')) ctx.addIssue({ code: 'custom', path: [field], message: `${label}：非沙箱模式必须使用 https:// 地址` });
    }
  };
}

export const wechatUpdateSchema = z
  .strictObject({
    platform: z.literal('wechat'),
    ...common,
    appId: ident(F.appId, /^wx[0-9a-fA-F]{16}$/, '应为 wx 开头的 18 位（小程序/公众号 AppID）'),
    mchId: ident(F.mchId, /^\d{8,12}$/, '应为 8–12 位数字'),
    merchantSerialNo: ident(F.merchantSerialNo, /^[0-9A-Fa-f]{8,64}$/, '应为商户 API 证书的序列号（十六进制）'),
    endpoint: webUrl(F.endpoint),
    merchantPrivateKey: optionalSecret(privateKeyPem(F.merchantPrivateKey)),
    apiV3Key: optionalSecret(apiV3Key),
  })
  .superRefine(httpsUnlessSandbox([['endpoint', F.endpoint]]));

export const alipayUpdateSchema = z
  .strictObject({
    platform: z.literal('alipay'),
    ...common,
    appId: ident(F.appId, /^\d{16}$/, '应为 16 位数字（开放平台应用 APPID）'),
    gatewayUrl: webUrl(F.gatewayUrl),
    appPrivateKey: optionalSecret(privateKeyPem(F.appPrivateKey)),
  })
  .superRefine(httpsUnlessSandbox([['gatewayUrl', F.gatewayUrl]]));

export const bankUpdateSchema = z
  .strictObject({
    platform: z.literal('bank'),
    ...common,
    merchantId: ident(F.merchantId, /^[0-9A-Za-z_-]{1,32}$/, '应为 1–32 位字母、数字、下划线或横线', 32),
    terminalId: ident(F.terminalId, /^[0-9A-Za-z_-]{1,32}$/, '应为 1–32 位字母、数字、下划线或横线', 32),
    gatewayUrl: webUrl(F.gatewayUrl),
  })
  .superRefine(httpsUnlessSandbox([['gatewayUrl', F.gatewayUrl]]));

export const channelUpdateSchema = z.discriminatedUnion('platform', [wechatUpdateSchema, alipayUpdateSchema, bankUpdateSchema], {
  error: '支付渠道必须是 微信支付/支付宝/银行卡 之一',
});
export type ChannelUpdateInput = z.input<typeof channelUpdateSchema>;
export type ChannelUpdate = z.output<typeof channelUpdateSchema>;

const keyLabel = (optional: boolean) => `密钥编号${optional ? '' : '（序列号）'}`;

export const channelAddKeySchema = z.discriminatedUnion(
  'platform',
  [
    z
      .strictObject({
        platform: z.literal('wechat'),
        keyId: ident(keyLabel(false), /^(PUB_KEY_ID_[0-9A-Za-z]{1,64}|[0-9A-Fa-f]{8,64})$/, '应为平台证书序列号（十六进制）或 PUB_KEY_ID_ 开头的微信支付公钥 ID'),
        material: publicKeyPem('微信支付平台公钥'),
        version,
      })
      .superRefine((v, ctx) => {
        try {
          const serial = parsePublicKey(v.material, '微信支付平台公钥').certSerial;
          const bare = (hex: string) => hex.toUpperCase().replace(/^0+/, '');
          if (serial && bare(serial) !== bare(v.keyId))
            ctx.addIssue({ code: 'custom', path: ['keyId'], message: `${keyLabel(false)}：与证书的序列号 ${serial} 不一致` });
        } catch {
          // Reported by the material's own check.
        }
      }),
    z.strictObject({
      platform: z.literal('alipay'),
      keyId: ident(keyLabel(true), /^[0-9A-Za-z_.-]{1,32}$/, '应为 1–32 位字母、数字、点、下划线或横线', 32).optional(),
      material: publicKeyPem('支付宝公钥'),
      version,
    }),
    z.strictObject({
      platform: z.literal('bank'),
      keyId: ident(keyLabel(true), /^[0-9A-Za-z_.-]{1,32}$/, '应为 1–32 位字母、数字、点、下划线或横线', 32).optional(),
      material: bankApiKey,
      version,
    }),
  ],
  { error: '支付渠道必须是 微信支付/支付宝/银行卡 之一' },
);
export type ChannelAddKeyInput = z.input<typeof channelAddKeySchema>;
export type ChannelAddKey = z.output<typeof channelAddKeySchema>;

export const channelKeyRefSchema = z.strictObject({
  platform,
  keyId: filled('密钥编号', 80),
  version: z.number('版本号不正确').int().min(1),
});
export type ChannelKeyRef = z.output<typeof channelKeyRefSchema>;

/** The service's own check: the same schema, its first problem as the Chinese message. */
export function parseChannelInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new DomainError('INVALID_INPUT', r.error.issues[0]?.message ?? '输入不正确');
}
