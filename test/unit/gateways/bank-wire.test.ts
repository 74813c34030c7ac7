import { describe, expect, it } from 'vitest';
import { WireError, clipText, dateToWire, fenFromWire, fenToWire, newNonce, parseWireJson, timeFromWire, timeToWire } from '../../../src-main/gateways/bank/bank-wire';
import { NONCE_PATTERN } from '../../../src-main/gateways/bank/protocol';

describe('amounts in fen strings (protocol.ts §2)', () => {
  it('round-trips integer fen', () => {
    for (const fen of [1, 9, 10, 12345, 100_000_000_00]) expect(fenFromWire(fenToWire(fen), 'txn_amt')).toBe(fen);
    expect(fenFromWire('0', 'refunded_amt', true)).toBe(0);
  });

  it.each(['', '0', '-1', '01', '1.00', '123.4', ' 1', '1e3', '12345678901234', 'NaN'])('rejects %j as a payment amount', (v) => {
    expect(() => fenFromWire(v, 'txn_amt')).toThrow(WireError);
  });

  it('refuses to put non-integer or negative fen on the wire', () => {
    expect(() => fenToWire(1.5)).toThrow(WireError);
    expect(() => fenToWire(-1)).toThrow(WireError);
  });
});

describe('times in Asia/Shanghai (protocol.ts §2)', () => {
  const t = Date.UTC(2026, 10, 26, 2, 0, 0); // 10:00 in Shanghai
  it('formats and parses yyyyMMddHHmmss whatever the machine zone', () => {
    expect(timeToWire(t)).toBe('20261126100000');
    expect(timeFromWire('20261126100000', 'req_time')).toBe(t);
    expect(timeFromWire('20261127070000', 'x')).toBe(Date.UTC(2026, 10, 26, 23, 0, 0));
  });
  it.each(['2026112610000', '20261131100000', '20261126250000', '2026-11-26 10:00', undefined])('rejects %j', (v) => {
    expect(() => timeFromWire(v, 'req_time')).toThrow(WireError);
  });
  it('writes bill dates as yyyyMMdd', () => {
    expect(dateToWire('2026-11-26')).toBe('20261126');
  });
});

describe('bodies and nonces', () => {
  it('accepts only flat objects of strings', () => {
    expect(parseWireJson('{"a":"1","b":""}')).toEqual({ a: '1', b: '' });
    expect(() => parseWireJson('{"txn_amt":12345}')).toThrow(WireError);
    expect(() => parseWireJson('{"a":{"b":"c"}}')).toThrow(WireError);
    expect(() => parseWireJson('["a"]')).toThrow(WireError);
    expect(() => parseWireJson('success')).toThrow(WireError);
  });
  it('makes 32-character alphanumeric nonces that differ', () => {
    const a = newNonce();
    expect(a).toMatch(NONCE_PATTERN);
    expect(a).toHaveLength(32);
    expect(newNonce()).not.toBe(a);
  });
  it('clips by characters, not UTF-16 units', () => {
    expect(clipText('😀'.repeat(130), 128)).toBe('😀'.repeat(128));
    expect(clipText('短', 128)).toBe('短');
  });
});
