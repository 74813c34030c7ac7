import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, MessageOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Input, Skeleton, Steps, Tag, Timeline, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { call } from '../../app/api';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { announceApprovalsChanged, APPROVAL_STATUS_COLORS, APPROVAL_STATUS_LABELS, BUSINESS_TYPE_LABELS, type ApprovalDetail, type ApprovalHistoryEntry, type ApprovalStep } from './approval-labels';
import { DecisionModal, type DecisionMode } from './DecisionModal';

const STEP_STATUS: Record<ApprovalStep['state'], 'finish' | 'error' | 'process' | 'wait'> = { approved: 'finish', rejected: 'error', current: 'process', waiting: 'wait', skipped: 'wait' };
const ENTRY_COLORS: Record<ApprovalHistoryEntry['decision'], string> = { approve: 'green', reject: 'red', comment: 'gray' };
const ENTRY_LABELS: Record<ApprovalHistoryEntry['decision'], string> = { approve: '同意', reject: '驳回', comment: '评论' };

function requestItems(d: ApprovalDetail): DescriptionsProps['items'] {
  const r = d.request;
  return [
    { key: 'type', label: '业务类型', children: BUSINESS_TYPE_LABELS[r.businessType] },
    {
      key: 'subject',
      label: '业务单号',
      children: d.summary?.link ? (
        <Link to={d.summary.link} data-testid="subject-link">
          {r.subjectId}
        </Link>
      ) : (
        <Typography.Text copyable>{r.subjectId}</Typography.Text>
      ),
    },
    {
      key: 'amount',
      label: '审批金额',
      children: (
        <span data-testid="approval-amount">
          <Money fen={r.amountFen} strong />
        </span>
      ),
    },
    { key: 'status', label: '状态', children: <Tag color={APPROVAL_STATUS_COLORS[r.status]}>{APPROVAL_STATUS_LABELS[r.status]}</Tag> },
    { key: 'requester', label: '申请人', children: r.requesterName },
    { key: 'createdAt', label: '申请时间', children: formatTime(r.createdAt) },
    { key: 'decidedAt', label: '完成时间', children: formatTime(r.decidedAt) },
    { key: 'bulk', label: '批量审批', children: r.bulkApprovable ? '规则允许' : '逐笔审批' },
    ...(d.summary?.fields ?? []).map((f, i) => ({ key: `f${i}`, label: f.label, children: f.value })),
  ];
}

/**
 * One approval request: the underlying business as its own module describes it, the amount
 * (frozen while under approval), the levels with who decided them and when, the history with
 * comments, and what the viewer may do — approve, reject with a reason, comment, withdraw their
 * own request. When they cannot decide, the page says why instead of hiding the buttons silently.
 */
export function ApprovalDetailPage() {
  const { id = '' } = useParams();
  const requestId = Number(id);
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const report = useReportError();
  const detail = useChannel('approvals.get', Number.isSafeInteger(requestId) && requestId > 0 ? { id: requestId } : null);
  const [mode, setMode] = useState<DecisionMode | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const d = detail.data;

  const changed = () => {
    detail.reload();
    announceApprovalsChanged();
  };

  const sendComment = async () => {
    setBusy(true);
    try {
      await call('approvals.comment', { id: requestId, text: comment });
      setComment('');
      void message.success('评论已发表');
      detail.reload();
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  if (!Number.isSafeInteger(requestId) || requestId <= 0) return <Empty description="审批申请不存在" />;
  return (
    <>
      <PageTitle
        title={d ? (d.summary?.title ?? d.request.title) : '审批详情'}
        sub={d ? `${BUSINESS_TYPE_LABELS[d.request.businessType]}审批 #${d.request.id}` : undefined}
        extra={
          <>
            {/* Opened from a link in another window or typed in: there is no page to go back to, so go to the list. */}
            <Button icon={<ArrowLeftOutlined />} onClick={() => (location.key === 'default' ? navigate('/approvals') : navigate(-1))}>
              返回
            </Button>
            <Button icon={<ReloadOutlined />} onClick={detail.reload}>
              刷新
            </Button>
          </>
        }
      />
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!d && detail.loading ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {d ? (
        <Flex vertical gap={16} data-testid="approval-detail">
          <Descriptions
            bordered
            size="small"
            // Three pairs a row only on wide screens: at 1280 × 720 the labels would wrap under each other.
            column={{ xs: 1, md: 2, xxl: 3 }}
            styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}
            items={requestItems(d)}
            data-testid="approval-subject"
          />
          <Card size="small" title="审批流程">
            <Steps
              size="small"
              data-testid="approval-steps"
              // The step under way, or the last one decided: antd highlights `current` (0 by default).
              current={Math.max(0, d.request.currentLevel !== null ? d.request.currentLevel - 1 : d.steps.filter((s) => s.approverName !== null).length - 1)}
              items={d.steps.map((s) => ({
                status: STEP_STATUS[s.state],
                title: `第 ${s.level} 级 · ${s.roleName}`,
                content: s.approverName ? (
                  <Flex vertical>
                    <span>
                      {s.approverName} {s.state === 'rejected' ? '驳回' : '同意'}
                    </span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(s.at)}
                    </Typography.Text>
                  </Flex>
                ) : s.state === 'current' ? (
                  '审批中'
                ) : s.state === 'skipped' ? (
                  '未审批'
                ) : (
                  '待审批'
                ),
              }))}
            />
          </Card>
          {d.request.status === 'pending' ? (
            <Card size="small" title="我的操作" data-testid="approval-actions">
              {d.viewer.cannotDecide ? <Alert type="info" showIcon title={`您不能审批此申请：${d.viewer.cannotDecide}`} style={{ marginBottom: 12 }} data-testid="cannot-decide" /> : null}
              <Flex gap={8} wrap>
                {d.viewer.canDecide ? (
                  <>
                    <Button type="primary" icon={<CheckOutlined />} onClick={() => setMode('approve')} data-testid="approve">
                      同意
                    </Button>
                    <Button danger icon={<CloseOutlined />} onClick={() => setMode('reject')} data-testid="reject">
                      驳回
                    </Button>
                  </>
                ) : null}
                {d.viewer.canWithdraw ? (
                  <Button icon={<RollbackOutlined />} onClick={() => setMode('withdraw')} data-testid="withdraw">
                    撤回申请
                  </Button>
                ) : null}
              </Flex>
            </Card>
          ) : null}
          <Card size="small" title="审批记录">
            {d.history.length === 0 && d.request.status === 'pending' ? <Typography.Text type="secondary">暂无审批记录</Typography.Text> : null}
            <Timeline
              data-testid="approval-history"
              items={[
                { color: 'blue', content: <HistoryLine who={d.request.requesterName} what="提交申请" at={d.request.createdAt} /> },
                ...d.history.map((h) => ({
                  color: ENTRY_COLORS[h.decision],
                  content: (
                    <HistoryLine
                      who={`${h.approverName}${h.roleName ? `（${h.roleName}）` : ''}`}
                      what={h.decision === 'comment' ? ENTRY_LABELS.comment : `第 ${h.level} 级${ENTRY_LABELS[h.decision]}`}
                      at={h.at}
                      text={h.reason}
                    />
                  ),
                })),
                ...(d.request.status === 'cancelled' ? [{ color: 'gray', content: <HistoryLine who={d.request.requesterName} what="撤回申请" at={d.request.decidedAt ?? d.request.createdAt} /> }] : []),
              ]}
            />
            <Flex gap={8} align="flex-start" style={{ marginTop: 12 }}>
              <Input.TextArea
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                placeholder="评论（例如请申请人补充材料）"
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={500}
                style={{ maxWidth: 560 }}
                data-testid="comment-input"
              />
              <Button icon={<MessageOutlined />} disabled={!comment.trim()} loading={busy} onClick={() => void sendComment()} data-testid="comment-send">
                发表评论
              </Button>
            </Flex>
          </Card>
          {mode ? <DecisionModal mode={mode} detail={d} onClose={() => setMode(null)} onDone={changed} /> : null}
        </Flex>
      ) : null}
    </>
  );
}

function HistoryLine({ who, what, at, text }: { who: string; what: string; at: number; text?: string | null }) {
  return (
    <Flex vertical>
      <span>
        <Typography.Text strong>{who}</Typography.Text> {what}
        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
          {formatTime(at)}
        </Typography.Text>
      </span>
      {text ? <Typography.Text>{text}</Typography.Text> : null}
    </Flex>
  );
}
