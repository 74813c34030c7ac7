import { SafetyOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import type { ChainVerdict } from '../../app/api-types';
import { useReportError } from '../../app/use-report-error';

/**
 * 校验日志链: asks the main process to walk the hash chain from the first entry. A break names the
 * first entry whose link or content does not hold; everything after it is suspect too.
 */
export function useAuditVerification() {
  const [verdict, setVerdict] = useState<ChainVerdict | null>(null);
  const [busy, setBusy] = useState(false);
  const report = useReportError();

  const verify = async () => {
    setBusy(true);
    try {
      setVerdict(await call('audit.verify', {}));
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button icon={<SafetyOutlined />} loading={busy} onClick={() => void verify()} data-testid="verify-audit-chain">
      校验日志链
    </Button>
  );

  const result = verdict ? (
    verdict.ok ? (
      <Alert
        type="success"
        showIcon
        closable={{ onClose: () => setVerdict(null) }}
        data-testid="audit-verify-result"
        data-ok="true"
        title={`日志链完整：已校验 ${verdict.checked} 条记录，未发现删除或篡改。`}
        style={{ marginBottom: 12 }}
      />
    ) : (
      <Alert
        type="error"
        showIcon
        closable={{ onClose: () => setVerdict(null) }}
        data-testid="audit-verify-result"
        data-ok="false"
        title={`日志链在第 ${verdict.brokenAtSeq} 条记录处断开：${verdict.reason}`}
        description={`此前 ${verdict.checked} 条记录校验通过；第 ${verdict.brokenAtSeq} 条及之后的记录不可信，请立即联系系统管理员调查。`}
        style={{ marginBottom: 12 }}
      />
    )
  ) : null;

  return { button, result };
}
