import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AEAD_AES_256_GCM, the encryption of notification `resource`s (and of downloaded certificates):
 * key = the APIv3 key (32 bytes, UTF-8 as typed in the merchant platform), iv = `resource.nonce`,
 * AAD = `resource.associated_data` (may be empty), ciphertext = base64(encrypted bytes || 16-byte tag),
 * i.e. the tag is the LAST 16 bytes of the decoded ciphertext.
 * Sources: wohugb/wepay …/certificate-and-callback-message-decryption.md; wechatpay-axios-plugin
 * lib/aes.js AesGcm (checked both ways in unit tests, with its published vectors — which use a
 * 16-byte iv, so the iv length is not fixed to WeChat's usual 12 characters here).
 */
const TAG_BYTES = 16;

export function apiV3KeyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('APIv3 密钥必须是 32 字节');
  return key;
}

export function aeadEncrypt(plaintext: string, apiV3Key: string, nonce: string, associatedData = ''): string {
  const cipher = createCipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

/** Throws when the tag does not verify (wrong key, nonce, AAD or tampered ciphertext). */
export function aeadDecrypt(ciphertextBase64: string, apiV3Key: string, nonce: string, associatedData = ''): string {
  const data = Buffer.from(ciphertextBase64, 'base64');
  if (data.length < TAG_BYTES) throw new Error('密文长度不足（缺少 16 字节认证标签）');
  const decipher = createDecipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}
