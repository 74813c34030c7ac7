import { CaretRightOutlined, PauseOutlined, RollbackOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Input, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useReportError } from '../../app/use-report-error';
import { formatFen } from '../../components/money-format';
import type { Batch, BatchProgress } from './batch-tags';

type Action = 'submit' | 'withdraw' | 'pause' | 'resume' | 'cancel';

/**
 * The batch's own actions, as its state allows (the server's `actions`) and the user may (permissions),
 * each confirmed with what it will do to the money: 提交审批, 撤回审批, 暂停, 继续执行, 取消剩余.
 */
export function BatchActions({ batch: b, progress: p, onDone }: { batch: Batch; progress: BatchProgress; onDone: () => void }) {
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const [busy, setBusy] = useState<Action | null>(null);

  const run = async (action: Action, work: () => Promise<unknown>, done: string) => {
    setBusy(action);
    try {
      await work();
      void message.success(done);
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
      onDone();
    }
  };
  const confirm = (title: string, content: ReactNode, okText: string, onOk: () => Promise<void>, danger = false) =>
    modal.confirm({ title, content, okText, cancelText: '返回', okButtonProps: { danger, 'data-testid': 'confirm-ok' }, onOk });

  const create = can('batch:create');
  const execute = can('batch:execute');
  const started = b.startedAt !== null;
  const buttons: ReactNode[] = [];

  if (create && b.actions.withdraw)
    buttons.push(
      <Button key="withdraw" icon={<RollbackOutlined />} loading={busy === 'withdraw'} data-testid="withdraw-batch"
        onClick={() => confirm('撤回审批', '撤回后任务回到草稿，已有的审批意见作废，需要重新提交审批。', '撤回', () => run('withdraw', () => call('batches.withdraw', { batchNo: b.batchNo }), '已撤回审批'))}>
        撤回审批
      </Button>,
    );
  if (execute && b.actions.pause)
    buttons.push(
      <Button key="pause" icon={<PauseOutlined />} loading={busy === 'pause'} data-testid="pause-batch"
        onClick={() => confirm('暂停批量任务', `暂停后不再发出新的转账；已发出的 ${p.inFlightCount} 笔照常完成。可随时继续执行。`, '暂停', () => run('pause', () => call('batches.pause', { batchNo: b.batchNo, version: b.version }), '已暂停'))}>
        暂停
      </Button>,
    );
  if (execute && b.actions.resume)
    buttons.push(
      <Button key="resume" type="primary" icon={<CaretRightOutlined />} loading={busy === 'resume'} data-testid="resume-batch"
        onClick={() => confirm('继续执行', `将继续发送剩余的 ${p.pendingCount} 笔（${formatFen(p.pendingFen)}）。`, '继续执行', () => run('resume', () => call('batches.resume', { batchNo: b.batchNo, version: b.version }), '已继续执行'))}>
        继续执行
      </Button>,
    );
  if (execute && b.actions.cancel) {
    let reason = '';
    const remaining = started ? '取消剩余' : '取消任务';
    buttons.push(
      <Button key="cancel" danger icon={<StopOutlined />} loading={busy === 'cancel'} data-testid="cancel-batch"
        onClick={() =>
          confirm(
            remaining,
            <>
              <Typography.Paragraph>
                {started
                  ? `尚未发出的 ${p.pendingCount} 笔（${formatFen(p.pendingFen)}）将被取消；已发出的 ${p.inFlightCount} 笔照常完成，等待微信确认的转账会被撤销。`
                  : `整个批量任务（${b.totalCount} 笔，${formatFen(b.totalFen)}）将被取消，不会付款。`}
                取消后不能恢复。
              </Typography.Paragraph>
              <Input.TextArea placeholder="取消原因（选填）" maxLength={200} autoSize={{ minRows: 2 }} onChange={(e) => (reason = e.target.value)} />
            </>,
            remaining,
            () => run('cancel', () => call('batches.cancel', { batchNo: b.batchNo, version: b.version, reason: reason.trim() || undefined }), '已取消'),
            true,
          )
        }>
        {remaining}
      </Button>,
    );
  }
  if (create && b.actions.submit)
    buttons.push(
      <Button key="submit" type="primary" icon={<SendOutlined />} loading={busy === 'submit'} data-testid="submit-batch"
        onClick={() =>
          confirm('提交审批', `将 ${b.totalCount} 笔、合计 ${formatFen(b.totalFen)} 提交审批。提交后明细与金额不能修改；审批通过后系统开始逐笔转账。`, '提交审批', () =>
            run('submit', () => call('batches.submit', { batchNo: b.batchNo, version: b.version }), '已提交审批'),
          )
        }>
        提交审批
      </Button>,
    );
  return <>{buttons}</>;
}
