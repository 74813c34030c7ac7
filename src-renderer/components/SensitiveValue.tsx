import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAuth } from '../app/auth-context';
import { useReportError } from '../app/use-report-error';

/** How long a revealed value stays on screen before it is masked again. */
export const REVEAL_MS = 30_000;

interface SensitiveValueProps {
  /** The masked value the backend returned (e.g. 138****5678); shown by default. */
  masked: string;
  /** Fetches the full value (a `sensitive.reveal` call, audited by the backend); null when there is none. */
  reveal: () => Promise<string | null>;
  /** What the value is (手机号, 银行账号…), for the button's accessible name. */
  label?: string;
}

/**
 * A masked sensitive value (phone, ID number, bank account). Users holding `sensitive:unmask` get an
 * eye button that fetches the full value — the backend writes an audit entry for each reveal — and
 * shows it for {@link REVEAL_MS}, or until clicked again.
 */
export function SensitiveValue({ masked, reveal, label }: SensitiveValueProps) {
  const { can } = useAuth();
  const report = useReportError();
  // Remembered with the masked value it belongs to: another record (or a changed value) never
  // shows the previous full value.
  const [revealed, setRevealed] = useState<{ of: string; value: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const full = revealed?.of === masked ? revealed.value : null;

  const clearTimer = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => clearTimer, []);

  const hide = useCallback(() => {
    clearTimer();
    setRevealed(null);
  }, []);

  const show = useCallback(async () => {
    setLoading(true);
    try {
      const value = await reveal();
      if (value === null) return;
      setRevealed({ of: masked, value });
      clearTimer();
      timer.current = setTimeout(() => setRevealed(null), REVEAL_MS);
    } catch (e) {
      report(e);
    } finally {
      setLoading(false);
    }
  }, [reveal, report, masked]);

  const allowed = can('sensitive:unmask');
  const name = label ?? '敏感信息';
  return (
    <Space size={4} data-testid="sensitive-value">
      <Typography.Text style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-revealed={full !== null}>
        {full ?? masked}
      </Typography.Text>
      {allowed && masked !== '' && (
        <Tooltip title={full === null ? '显示完整信息（将记录审计）' : '隐藏'}>
          <Button
            type="text"
            size="small"
            loading={loading}
            icon={full === null ? <EyeOutlined /> : <EyeInvisibleOutlined />}
            aria-label={full === null ? `显示完整${name}` : `隐藏${name}`}
            onClick={() => (full === null ? void show() : hide())}
          />
        </Tooltip>
      )}
    </Space>
  );
}
