import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Radio, Tag, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { PAGING_DEFAULTS, pagingInput } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useUrlQuery } from '../../app/use-url-query';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { ALERT_KIND_LABELS, ALERT_LEVEL_LABELS, type AlertRecord } from './operations-labels';

const DEFAULTS = { state: 'open', ...PAGING_DEFAULTS };

/**
 * 告警 (design document 7.1.1, 7.3.2): what the alert rules raised — notification rejection and
 * gateway error rates over their window. An open alert is counted once per window while the
 * problem lasts; acknowledging it says someone is on it, and a new breach opens a new alert.
 */
export function AlertsPage() {
  const { can } = useAuth();
  const report = useReportError();
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const open = query.state === 'open' ? true : query.state === 'done' ? false : undefined;
  const list = useChannel('alerts.list', { open, ...pagingInput(query) });
  const [busy, setBusy] = useState<number | null>(null);

  const acknowledge = (a: AlertRecord) => {
    setBusy(a.id);
    call('alerts.acknowledge', { id: a.id, version: a.version })
      .then(() => list.reload(), report)
      .finally(() => setBusy(null));
  };

  return (
    <>
      <PageTitle
        title="告警"
        sub="回调通知拒绝率、支付接口错误率超过阈值时产生；确认表示已有人处理"
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        }
      />
      <Radio.Group
        optionType="button"
        style={{ marginBottom: 12 }}
        value={query.state}
        onChange={(e) => setQuery({ state: String(e.target.value), page: 1 })}
        options={[
          { value: 'open', label: `未确认${list.data ? `（${list.data.openCount}）` : ''}` },
          { value: 'done', label: '已确认' },
          { value: 'all', label: '全部' },
        ]}
        data-testid="alerts-state"
      />
      <PagedListTable<AlertRecord>
        data-testid="alerts-table"
        list={list}
        input={query}
        setQuery={setQuery}
        scroll={{ x: 1100 }}
        locale={{ emptyText: open ? '没有未确认的告警' : '没有告警' }}
        columns={[
          { title: '级别', dataIndex: 'level', width: 70, render: (l: AlertRecord['level']) => <Tag color={l === 'error' ? 'error' : 'warning'}>{ALERT_LEVEL_LABELS[l]}</Tag> },
          { title: '告警', dataIndex: 'kind', width: 150, render: (k: string) => ALERT_KIND_LABELS[k] ?? k },
          { title: '说明', dataIndex: 'message', render: (m: string) => <Typography.Text>{m}</Typography.Text> },
          { title: '首次', dataIndex: 'firstAt', width: 156, render: (t: number) => formatTime(t) },
          { title: '最近', dataIndex: 'lastAt', width: 156, render: (t: number) => formatTime(t) },
          { title: '次数', dataIndex: 'count', width: 60, align: 'right' },
          {
            title: '确认',
            key: 'ack',
            width: 170,
            render: (_: unknown, a) =>
              a.acknowledgedAt !== null ? (
                <Typography.Text type="secondary">
                  {a.acknowledgedByName} · {formatTime(a.acknowledgedAt)}
                </Typography.Text>
              ) : can('alerts:manage') ? (
                <Popconfirm title="确认此告警？" description="确认后，问题仍持续时会产生新的告警。" okText="确认" cancelText="取消" onConfirm={() => acknowledge(a)}>
                  <Button size="small" icon={<CheckOutlined />} loading={busy === a.id} data-testid={`ack-${a.id}`}>
                    确认
                  </Button>
                </Popconfirm>
              ) : (
                <Tag>未确认</Tag>
              ),
          },
        ]}
      />
    </>
  );
}
