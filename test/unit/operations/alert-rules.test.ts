import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG, evaluateAlertRules } from '../../../src-main/core/alerts/alert-rules';

const cfg = DEFAULT_ALERT_CONFIG; // rejection ≥ 20% of ≥ 10; gateway errors ≥ 30% of ≥ 5

describe('alert rules at their edges', () => {
  it('notification rejection: fires at exactly the threshold, not just below it', () => {
    expect(evaluateAlertRules({ 'notify.applied': 8, 'notify.rejected': 2 }, cfg).map((b) => b.kind)).toEqual(['notify_rejection_rate']); // 2/10 = 20%
    expect(evaluateAlertRules({ 'notify.applied': 9, 'notify.duplicate': 1, 'notify.rejected': 2 }, cfg)).toEqual([]); // 2/12 < 20%
  });

  it('needs the minimum number of samples in the window', () => {
    expect(evaluateAlertRules({ 'notify.rejected': 9 }, cfg)).toEqual([]); // 9 of 9, but fewer than 10
    expect(evaluateAlertRules({ 'notify.rejected': 10 }, cfg)[0]).toMatchObject({ kind: 'notify_rejection_rate', level: 'error', rate: 1 });
    expect(evaluateAlertRules({}, cfg)).toEqual([]);
  });

  it('gateway errors: threshold, severity and message', () => {
    expect(evaluateAlertRules({ 'gateway.ok': 7, 'gateway.error': 2 }, cfg)).toEqual([]); // 22%
    const [b] = evaluateAlertRules({ 'gateway.ok': 7, 'gateway.error': 3 }, cfg); // 30%
    expect(b).toMatchObject({ kind: 'gateway_error_rate', level: 'warn', numerator: 3, denominator: 10 });
    expect(b!.message).toContain('30.0%');
    expect(evaluateAlertRules({ 'gateway.ok': 1, 'gateway.error': 4 }, cfg)[0]!.level).toBe('error'); // 80%
    expect(evaluateAlertRules({ 'gateway.error': 4 }, cfg)).toEqual([]); // 4 calls < 5
  });

  it('thresholds are configuration', () => {
    const strict = { ...cfg, gatewayError: { threshold: 0.05, minSamples: 1, severeAt: 1 } };
    expect(evaluateAlertRules({ 'gateway.ok': 19, 'gateway.error': 1 }, strict)).toHaveLength(1);
  });
});
