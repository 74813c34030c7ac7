import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskBankAccount, maskIdNumber, maskPayeeAccount, maskPhone } from '../../../src-main/core/access/masking';

describe('masking of sensitive fields', () => {
  it('keeps the first 6 and last 4 digits of a card', () => {
    expect(maskBankAccount('6222 0212 3456 7890')).toBe('622202******7890');
    expect(maskBankAccount('6217000010001234567')).toBe('621700*********4567');
  });
  it('keeps 3 + 4 of a phone and 3 / 4 of an ID number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('11010119900307123X')).toBe('110***********123X');
  });
  it('masks payee logins: e-mail names, phones, openids', () => {
    expect(maskPayeeAccount('zhangsan@example.com')).toBe('z*******@example.com');
    expect(maskPayeeAccount('13812345678')).toBe('138****5678');
    expect(maskPayeeAccount('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).toBe('oUp*********************eS6o');
  });
  it('never reveals more than 10 characters of a long account and keeps its length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12,24}$/), (account) => {
        const masked = maskBankAccount(account);
        expect(masked).toHaveLength(account.length);
        expect(masked.replace(/\*/g, '')).toHaveLength(10);
        expect(masked.startsWith(account.slice(0, 6)) && masked.endsWith(account.slice(-4))).toBe(true);
      }),
    );
  });
  it('shows nothing of a value too short to mask by the rule', () => {
    expect(maskBankAccount('1234')).toBe('1***');
    expect(maskPhone('12')).toBe('**');
  });
});
