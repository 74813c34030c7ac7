import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';

/**
 * Sensitive request fields (the payee's real name in transfer-bills) are encrypted with the PLATFORM
 * public key, RSA-OAEP with SHA-1 (OAEP's default MGF1/SHA-1), base64, and the request names that key
 * in a `Wechatpay-Serial` header. Sources: wechatpay-im/website openapi/v3/fund-app/mch-transfer/
 * transfer-bills.md (user_name "需要加密传入", header Wechatpay-Serial); wechatpay-axios-plugin lib/rsa.js
 * Rsa.encrypt/decrypt (RSA_PKCS1_OAEP_PADDING, oaepHash sha1), checked both ways in unit tests.
 */
export function encryptSensitiveField(plaintext: string, platformPublicKey: KeyObject): string {
  return publicEncrypt({ key: platformPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(plaintext, 'utf8')).toString('base64');
}

/** The platform's side (used by the simulator). */
export function decryptSensitiveField(ciphertextBase64: string, platformPrivateKey: KeyObject): string {
  return privateDecrypt({ key: platformPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertextBase64, 'base64')).toString('utf8');
}
