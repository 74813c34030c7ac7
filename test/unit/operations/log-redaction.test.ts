import { describe, expect, it } from 'vitest';
import { HIDDEN, maskCard, maskIdNumber, maskPhone, redact, redactText } from '../../../src-main/security/log-redaction';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';

describe('log redaction', () => {
  it('masks card numbers keeping the first 6 and last 4, however they are written', () => {
    expect(redactText('card 6222021234567890123 paid')).toBe('card 622202*********0123 paid');
    expect(redactText('4111 1111 1111 1111')).toBe('411111******1111');
    expect(redactText('4111-1111-1111-1111')).toBe('411111******1111');
    expect(redactText('{"card":"6222021234567890"}')).toBe('{"card":"622202******7890"}');
    expect(redactText('?acct=6222021234567890&x=1')).toBe('?acct=622202******7890&x=1');
    expect(maskCard('6222021234567890')).toBe('622202******7890');
  });

  it('leaves order numbers, trade numbers and amounts alone', () => {
    const s = 'P20261126100000123456 4200001234202611261234567890 ¥1,234.56 12345';
    expect(redactText(s)).toBe(s);
  });

  it('masks mainland mobile numbers 3+4, with or without +86', () => {
    expect(redactText('联系电话13812345678。')).toBe('联系电话138****5678。');
    expect(redactText('+86 138-1234-5678')).toBe('138****5678');
    expect(redactText('+8613812345678')).toBe('138****5678');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('masks resident ID numbers 3+4, also ending in X, in text and in named fields', () => {
    expect(redactText('身份证 11010119900307123X 已登记')).toBe('身份证 110***********123X 已登记');
    expect(redactText('id=110101199003071234&x=1')).toBe('id=110***********1234&x=1');
    expect(redact({ guest: { idNumber: '1101011990030712', id_card: '110101 19900307 1234' } })).toEqual({ guest: { idNumber: '110*********0712', id_card: '110***********1234' } });
    expect(maskIdNumber('11010119900307123x')).toBe('110***********123x');
  });

  it('removes PEM blocks, even cut off, and Authorization headers of every scheme', () => {
    expect(redactText(`key: ${PEM} tail`)).toBe('key: [PEM 已隐藏] tail');
    expect(redactText('-----BEGIN CERTIFICATE-----\nMIIB...')).toBe('[PEM 已隐藏]');
    const wx = 'Authorization: WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="abc",signature="Zm9vYmFy",timestamp="1"';
    expect(redactText(wx)).not.toMatch(/Zm9vYmFy|1900000001/);
    expect(redactText('Bearer eyJhbGciOi.JIUzI1NiJ9.xyz')).toBe(`Bearer ${HIDDEN}`);
    expect(redactText('"authorization":"HMAC-SHA256 k=1,sig=abc"')).not.toMatch(/sig=abc/);
  });

  it('removes signatures and keys in query strings, JSON text and long blobs', () => {
    expect(redactText('a=1&sign=AbC+/=123&b=2')).toBe(`a=1&sign=${HIDDEN}&b=2`);
    expect(redactText('{"paySign":"xyz==","appId":"wx1"}')).toBe(`{"paySign":"${HIDDEN}","appId":"wx1"}`);
    expect(redactText('password: hunter2')).toBe(`password: ${HIDDEN}`);
    const rsa = 'A'.repeat(120) + '==';
    expect(redactText(`sig ${rsa}`)).toBe('sig [长串已隐藏]');
    expect(redactText(`hmac ${'ab'.repeat(32)}`)).toBe('hmac [长串已隐藏]');
  });

  it('redacts objects deeply by field name: secrets dropped, phones and cards masked', () => {
    const input = {
      apiKey: 'k',
      api_v3_key: 'x',
      privateKeyPem: PEM,
      headers: { Authorization: 'Bearer t', 'content-type': 'application/json' },
      payer: { phone: '13812345678', bankCardNo: '6222021234567890', name: '张三' },
      list: [{ token: 't1' }, { cvv: '123' }],
      amountFen: 12345,
      note: null,
    };
    expect(redact(input)).toEqual({
      apiKey: HIDDEN,
      api_v3_key: HIDDEN,
      privateKeyPem: HIDDEN,
      headers: { Authorization: HIDDEN, 'content-type': 'application/json' },
      payer: { phone: '138****5678', bankCardNo: '622202******7890', name: '张三' },
      list: [{ token: HIDDEN }, { cvv: HIDDEN }],
      amountFen: 12345,
      note: null,
    });
  });

  it('survives cycles, depth, buffers, errors, bigints and huge strings', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i++) deep = (deep.next = {}) as Record<string, unknown>;
    const out = redact({ a, root, buf: Buffer.from('secret'), err: new Error('sign=abc failed for 13812345678'), big: 6222021234567890123n, long: 'x'.repeat(10_000) });
    const json = JSON.stringify(out);
    expect(json).toContain('[循环引用]');
    expect(json).toContain('[层级过深]');
    expect(json).toContain('[二进制 6 字节]');
    expect(json).toContain(`sign=${HIDDEN} failed for 138****5678`);
    expect(json).toContain('622202*********0123');
    expect(json).not.toContain('secret');
    expect(json.length).toBeLessThan(6000);
  });
});
