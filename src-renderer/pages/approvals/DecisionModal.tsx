import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useInlineSubmit } from '../../app/use-inline-submit';
import { call } from '../../app/api';
import { Money } from '../../components/Money';
import { BUSINESS_TYPE_LABELS, type ApprovalDetail } from './approval-labels';

export type DecisionMode = 'approve' | 'reject' | 'withdraw';

const TITLES: Record<DecisionMode, string> = { approve: '同意', reject: '驳回', withdraw: '撤回申请' };

/**
 * 同意 (an optional remark), 驳回 (a reason is required: the requester must know what to fix) or
 * 撤回 (the requester's own request). The level the screen shows goes with the decision, so a
 * request someone else moved on meanwhile is refused with "请刷新后重试" rather than decided blind.
 */
export function DecisionModal({ mode, detail, onClose, onDone }: { mode: DecisionMode; detail: ApprovalDetail; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const { message } = App.useApp();
  const { busy, refused, clearRefused, submit: run } = useInlineSubmit();
  const r = detail.request;

  const submit = ({ reason }: { reason?: string }) =>
    run(async () => {
      if (mode === 'withdraw') await call('approvals.withdraw', { id: r.id, reason: reason?.trim() || undefined });
      else await call('approvals.decide', { id: r.id, level: r.currentLevel ?? 1, decision: mode, reason: reason?.trim() || undefined });
      void message.success(mode === 'approve' ? '已同意' : mode === 'reject' ? '已驳回' : '申请已撤回');
      onClose();
      onDone();
    });

  return (
    <Modal
      open
      title={`${TITLES[mode]}：${BUSINESS_TYPE_LABELS[r.businessType]} ${r.subjectId}`}
      okText={TITLES[mode]}
      okButtonProps={{ danger: mode !== 'approve', loading: busy, 'data-testid': 'decision-ok' }}
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        金额 <Money fen={r.amountFen} strong />
        {mode === 'withdraw' ? '。撤回后审批结束，如需付款/退款请修改后重新提交。' : `，第 ${r.currentLevel}/${r.levels.length} 级。`}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" name="approval-decision" onFinish={submit} onValuesChange={clearRefused}>
        <Form.Item
          name="reason"
          label={mode === 'reject' ? '驳回原因' : mode === 'approve' ? '审批意见（可选）' : '撤回原因（可选）'}
          rules={mode === 'reject' ? [{ required: true, whitespace: true, message: '驳回必须填写原因' }] : []}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount data-testid="decision-reason" />
        </Form.Item>
      </Form>
      {refused ? <Alert type="error" showIcon title="未能完成" description={refused.message} data-testid="decision-error" /> : null}
    </Modal>
  );
}
