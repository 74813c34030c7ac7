import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Radio, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth-context';
import { PAGING_DEFAULTS, pagingInput } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { mono, OUTBOX_CHANNEL_LABELS, OUTBOX_STATUS_COLORS, OUTBOX_STATUS_LABELS, type OutboxRecord, type OutboxStatus } from './operations-labels';

const DEFAULTS = { status: '', ...PAGING_DEFAULTS };

/**
 * 通知记录: the SMS, WeChat template and e-mail messages to customers, suppliers and staff, with
 * their sending state. Recipients are masked by the main process; failed messages keep the reason.
 */
export function NotificationsPage() {
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const status = Object.hasOwn(OUTBOX_STATUS_LABELS, query.status) ? (query.status as OutboxStatus) : undefined;
  const list = useChannel('notifications.list', { status, ...pagingInput(query) });
  const counts = list.data?.counts ?? {};

  return (
    <>
      <PageTitle
        title="通知记录"
        sub="发给客户、供应商和员工的短信、微信模板消息与邮件"
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        }
      />
      <Flex align="center" gap={12} style={{ marginBottom: 12 }}>
        <Typography.Text>发送状态</Typography.Text>
        <Radio.Group
          optionType="button"
          value={status ?? ''}
          onChange={(e) => setQuery({ status: String(e.target.value), page: 1 })}
          options={[
            { value: '', label: '全部' },
            ...(Object.keys(OUTBOX_STATUS_LABELS) as OutboxStatus[]).map((s) => ({ value: s, label: `${OUTBOX_STATUS_LABELS[s]}（${counts[s] ?? 0}）` })),
          ]}
          data-testid="notifications-status"
        />
      </Flex>
      <PagedListTable<OutboxRecord>
        data-testid="notifications-table"
        list={list}
        input={query}
        setQuery={setQuery}
        scroll={{ x: 1080 }}
        locale={{ emptyText: '没有通知记录' }}
        columns={[
          { title: '创建时间', dataIndex: 'createdAt', width: 156, render: (t: number) => formatTime(t) },
          { title: '渠道', dataIndex: 'channel', width: 100, render: (c: OutboxRecord['channel']) => OUTBOX_CHANNEL_LABELS[c] },
          { title: '接收人', dataIndex: 'recipient', width: 120, render: (r: string) => <span style={mono}>{r}</span> },
          { title: '模板', dataIndex: 'templateLabel', width: 90 },
          { title: '内容', dataIndex: 'content', render: (c: string) => <Typography.Text>{c}</Typography.Text> },
          {
            title: '状态',
            dataIndex: 'status',
            width: 170,
            render: (s: OutboxStatus, r) => (
              <div>
                <Tag color={OUTBOX_STATUS_COLORS[s]}>{OUTBOX_STATUS_LABELS[s]}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s === 'sent' ? formatTime(r.sentAt) : r.attempts ? `已尝试 ${r.attempts} 次` : ''}
                </Typography.Text>
                {r.error ? <div style={{ fontSize: 12, color: '#cf1322' }}>{r.error}</div> : null}
                {s === 'pending' && r.attempts ? <div style={{ fontSize: 12 }}>下次：{formatTime(r.nextAttemptAt)}</div> : null}
              </div>
            ),
          },
          {
            title: '关联订单',
            dataIndex: 'orderNo',
            width: 210,
            render: (no: string | null) => (!no ? '—' : can('order:view') ? <Link to={`/orders/${no}`} style={mono}>{no}</Link> : <span style={mono}>{no}</span>),
          },
        ]}
      />
    </>
  );
}
