import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, matchingKeyIndex, signFields, signingString, verifyFields, withSign } from '../../../src-main/gateways/bank/bank-sign';
import { WORKED_EXAMPLE } from '../../../src-main/gateways/bank/protocol';

/**
 * Oracles for the institution's signature (there is no official SDK):
 *  - RFC 4231 §4.2–4.7 HMAC-SHA-256 vectors (cases 1–4 and 6), the same values as in several
 *    independent implementations found with the search tool (e.g. abbypan/crypto-utils hmac/README.md);
 *  - the worked example of protocol.ts §10, whose signature was computed outside this code base with
 *    Python's hmac module and `openssl dgst -sha256 -hmac` (both gave the same hex).
 */
const rep = (byte: number, n: number) => Buffer.alloc(n, byte);

describe('HMAC-SHA256 against RFC 4231', () => {
  it.each([
    ['case 1', rep(0x0b, 20), Buffer.from('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['case 2 (text key, as api_key is)', 'Jefe', 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['case 3', rep(0xaa, 20), rep(0xdd, 50), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    ['case 4', Buffer.from('0102030405060708090a0b0c0d0e0f10111213141516171819', 'hex'), rep(0xcd, 50), '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'],
    ['case 6 (key longer than a block)', rep(0xaa, 131), 'Test Using Larger Than Block-Size Key - Hash Key First', '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
  ])('%s', (_name, key, data, expected) => {
    expect(hmacSha256Hex(key, data)).toBe(expected);
  });
});

describe('the worked example of protocol.ts §10', () => {
  it('builds the documented signing string and signature byte for byte', () => {
    expect(signingString(WORKED_EXAMPLE.request)).toBe(WORKED_EXAMPLE.signingString);
    expect(signFields(WORKED_EXAMPLE.request, WORKED_EXAMPLE.apiKey)).toBe(WORKED_EXAMPLE.sign);
    expect(signFields(WORKED_EXAMPLE.notification, WORKED_EXAMPLE.apiKey)).toBe(WORKED_EXAMPLE.notificationSign);
  });

  it('matches what the specification comment says (the comment and the data cannot drift apart)', () => {
    const doc = readFileSync(new URL('../../../src-main/gateways/bank/protocol.ts', import.meta.url), 'utf8');
    expect(doc).toContain(` *    ${WORKED_EXAMPLE.signingString}\n`);
    expect(doc).toContain(` *  sign = ${WORKED_EXAMPLE.sign}\n`);
    expect(doc).toContain(` *    ${WORKED_EXAMPLE.notificationSign}\n`);
  });

  it('leaves out sign and empty values, sorts by byte order, keeps values raw', () => {
    expect(signingString({ b: '2', a: '1', sign: 'x', e: '', Z: 'upper', a_b: '&=中' })).toBe('Z=upper&a=1&a_b=&=中&b=2');
    // An existing sign does not change the signature: re-signing a signed message is stable.
    const signed = withSign(WORKED_EXAMPLE.request, WORKED_EXAMPLE.apiKey);
    expect(signFields(signed, WORKED_EXAMPLE.apiKey)).toBe(WORKED_EXAMPLE.sign);
    // Present-but-empty equals absent (protocol.ts §4).
    const { bank_code: _dropped, ...withoutBankCode } = WORKED_EXAMPLE.request;
    expect(signFields(withoutBankCode, WORKED_EXAMPLE.apiKey)).toBe(WORKED_EXAMPLE.sign);
  });
});

describe('verification', () => {
  const signed = withSign(WORKED_EXAMPLE.request, WORKED_EXAMPLE.apiKey);

  it('accepts the right key and rejects tampering, a wrong key, a missing or malformed sign', () => {
    expect(verifyFields(signed, [WORKED_EXAMPLE.apiKey])).toBe(true);
    expect(verifyFields({ ...signed, txn_amt: '12346' }, [WORKED_EXAMPLE.apiKey])).toBe(false);
    expect(verifyFields({ ...signed, extra: 'added' }, [WORKED_EXAMPLE.apiKey])).toBe(false);
    expect(verifyFields(signed, ['another-key'])).toBe(false);
    expect(verifyFields({ ...signed, sign: '' }, [WORKED_EXAMPLE.apiKey])).toBe(false);
    expect(verifyFields({ ...signed, sign: signed.sign.toUpperCase() }, [WORKED_EXAMPLE.apiKey])).toBe(false);
    expect(verifyFields({ ...signed, sign: signed.sign.slice(0, 62) }, [WORKED_EXAMPLE.apiKey])).toBe(false);
    expect(verifyFields(signed, [])).toBe(false);
  });

  it('accepts any key of the rotation list, and none once it is removed', () => {
    const previous = WORKED_EXAMPLE.apiKey;
    const current = 'the-new-key-after-rotation-00001';
    expect(matchingKeyIndex(signed, [current, previous])).toBe(1);
    expect(matchingKeyIndex(withSign(WORKED_EXAMPLE.request, current), [current, previous])).toBe(0);
    expect(matchingKeyIndex(signed, [current])).toBe(-1);
  });
});
