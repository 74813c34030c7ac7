import { BarChartOutlined, CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ChannelInput } from '../../../src-main/api/contract';
import type { PaymentMethod } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { PAGING_DEFAULTS, pagingInput } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { labelOf, optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { Money } from '../../components/Money';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { DIFF_TYPE_COLORS, DIFF_TYPE_SHORT, RUN_STATUS_COLORS, type DiffType, type ReconRunReport } from './recon-labels';
import { OfflineIndicator } from './OfflineIndicator';
import { ReconReportModal } from './ReconReportModal';
import { StartReconModal } from './StartReconModal';

const QUERY_DEFAULTS = { channel: '', period: 'daily', ...PAGING_DEFAULTS };

/** The differences of a run by type: one tag per type that has any, with its count and amount. */
export function DiffTypeTags({ run }: { run: ReconRunReport }) {
  const v = useVocabulary();
  const types = (Object.keys(run.differences) as DiffType[]).filter((t) => run.differences[t].count > 0);
  if (types.length === 0) return <Typography.Text type="success">无差异</Typography.Text>;
  return (
    <Flex wrap gap={4}>
      {types.map((t) => (
        <Tooltip key={t} title={v.diffTypes[t]}>
          <Tag color={DIFF_TYPE_COLORS[t]} style={{ marginInlineEnd: 0 }} data-type={t}>
            {DIFF_TYPE_SHORT[t]} {run.differences[t].count}
          </Tag>
        </Tooltip>
      ))}
    </Flex>
  );
}

/**
 * 对账批次 (design document 4.3): one row per channel and day (and the weekly / monthly sums), newest
 * first, with what matched, what did not, the platform's fees and the records held for the next day.
 * A row opens the run's difference workbench.
 */
export function ReconRunsPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [query, setQuery] = useUrlQuery(QUERY_DEFAULTS);
  const [starting, setStarting] = useState(false);
  const [reporting, setReporting] = useState(false);
  const channel = Object.hasOwn(v.paymentMethods, query.channel) ? (query.channel as PaymentMethod) : undefined;
  const period = Object.hasOwn(v.reconPeriods, query.period) ? (query.period as ReconRunReport['period']) : undefined;
  const input: ChannelInput<'recon.listRuns'> = { channel, period, currentOnly: true, ...pagingInput(query) };
  const list = useChannel('recon.listRuns', input);

  return (
    <>
      <PageTitle
        title="对账批次"
        sub="各渠道每日账单与本地记录的核对结果"
        extra={
          <>
            <OfflineIndicator refreshKey={list.data} onReconnect={list.reload} />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            <Button icon={<BarChartOutlined />} onClick={() => setReporting(true)} data-testid="open-recon-report">
              对账报表
            </Button>
            {can('recon:run') ? (
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setStarting(true)} data-testid="start-recon">
                发起对账
              </Button>
            ) : null}
          </>
        }
      />
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Text>支付渠道</Typography.Text>
        <Select
          style={{ width: 140 }}
          value={channel ?? ''}
          onChange={(c: string) => setQuery({ channel: c, page: 1 })}
          options={[{ value: '', label: '全部渠道' }, ...optionsOf(v.paymentMethods)]}
          aria-label="支付渠道"
        />
        <Typography.Text>周期</Typography.Text>
        <Select
          style={{ width: 120 }}
          value={period ?? ''}
          onChange={(p: string) => setQuery({ period: p, page: 1 })}
          options={[{ value: '', label: '全部' }, ...optionsOf(v.reconPeriods)]}
          aria-label="周期"
        />
      </Space>
      <PagedListTable<ReconRunReport>
        data-testid="recon-runs"
        rowKey="runId"
        list={list}
        input={input}
        setQuery={setQuery}
        scroll={{ x: 1180 }}
        locale={{ emptyText: '还没有对账记录。点击「发起对账」导入一份账单。' }}
        onRow={(r) => ({ onClick: () => navigate(`/reconciliation/${r.runId}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: '账单日期',
            dataIndex: 'date',
            width: 170,
            render: (d: string, r) => (
              <Flex vertical>
                <Typography.Text strong>{r.period === 'daily' ? d : `${d} ~ ${r.periodEnd}`}</Typography.Text>
                {r.period === 'daily' ? null : <Typography.Text type="secondary">{v.reconPeriods[r.period]}</Typography.Text>}
              </Flex>
            ),
          },
          { title: '渠道', dataIndex: 'channel', width: 90, render: (c: PaymentMethod) => labelOf(v.paymentMethods, c) },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: ReconRunReport['status'], r) => (
              <Tooltip title={r.error}>
                <Tag color={RUN_STATUS_COLORS[s]}>{v.reconRunStatuses[s]}</Tag>
              </Tooltip>
            ),
          },
          { title: '账单笔数', key: 'bill', width: 90, align: 'right', render: (_, r) => r.bill.count.toLocaleString('zh-CN') },
          { title: '已匹配', key: 'matchedCount', width: 90, align: 'right', render: (_, r) => r.matched.count.toLocaleString('zh-CN') },
          { title: '匹配金额', key: 'matchedFen', width: 130, align: 'right', render: (_, r) => <Money fen={r.matched.amountFen} /> },
          { title: '手续费', key: 'fee', width: 110, align: 'right', render: (_, r) => <Money fen={r.bill.feeFen} muteZero /> },
          {
            title: '差异',
            dataIndex: 'differenceCount',
            width: 70,
            align: 'right',
            render: (n: number) => <Typography.Text type={n > 0 ? 'danger' : 'secondary'} strong={n > 0}>{n}</Typography.Text>,
          },
          { title: '差异类型', key: 'types', render: (_, r) => <DiffTypeTags run={r} /> },
          { title: '次日核对', dataIndex: 'held', width: 80, align: 'right', render: (n: number) => (n ? n : <Typography.Text type="secondary">0</Typography.Text>) },
        ]}
      />
      <ReconReportModal open={reporting} onClose={() => setReporting(false)} />
      <StartReconModal
        open={starting}
        onClose={() => setStarting(false)}
        onDone={(run) => {
          setStarting(false);
          list.reload();
          navigate(`/reconciliation/${run.runId}`);
        }}
      />
    </>
  );
}
