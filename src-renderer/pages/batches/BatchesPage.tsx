import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Form, Input, Space, Table, Typography, type TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth-context';
import { filterKey } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { pagedListPagination } from '../../components/paged-table';
import { PageTitle } from '../../components/PageTitle';
import { CodesFilterItem, DayRangeFilterItem, QueryFilterForm } from '../../components/QueryFilterForm';
import { formatTime } from '../../components/time-format';
import { BatchProgressBar } from './BatchProgressBar';
import { BATCH_FILTERS, BATCH_QUERY_DEFAULTS, toBatchListInput } from './batches-query';
import { BatchStatusTag, BatchTypeTag, LIVE_BATCH_STATUSES, type BatchListItem } from './batch-tags';
import { quietLoading, usePolling } from './use-polling';

/** Batches whose progress bar means something: cleared to send, or sending began. */
const showsProgress = (b: BatchListItem) => b.status === 'approved' || b.startedAt !== null;
/** What a batch that never sent anything waits for, instead of a bar. */
const NOT_STARTED: Partial<Record<BatchListItem['status'], string>> = {
  draft: '草稿，未提交审批',
  pending_approval: '审批通过后开始付款',
  rejected: '审批被驳回',
  cancelled: '未付款即取消',
};

/**
 * 批量付款任务 (design document 4.5.3): salary and supplier batches with their status, counts,
 * amounts and — once approved — a progress bar that follows the executor (polled while any batch on
 * the page is running). A row opens the batch.
 */
export function BatchesPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [query, setQuery] = useUrlQuery(BATCH_QUERY_DEFAULTS);
  const input = toBatchListInput(query, v);
  const list = useChannel('batches.list', input);
  const live = (list.data?.items ?? []).some((b) => LIVE_BATCH_STATUSES.includes(b.status) || b.progress.inFlightCount > 0);
  usePolling(live, list.reload, 3000);
  const filtered = JSON.stringify(BATCH_FILTERS) !== JSON.stringify(Object.fromEntries(Object.keys(BATCH_FILTERS).map((k) => [k, query[k as keyof typeof BATCH_FILTERS]])));

  const columns: TableColumnsType<BatchListItem> = [
    {
      title: '批次号 / 任务名称',
      key: 'batch',
      render: (_, b) => (
        <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
          <Link to={`/batches/${b.batchNo}`} onClick={(e) => e.stopPropagation()} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {b.batchNo}
          </Link>
          <Typography.Text ellipsis={{ tooltip: b.title }} style={{ maxWidth: 260 }}>
            {b.title}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '类型', dataIndex: 'type', width: 100, render: (t: BatchListItem['type']) => <BatchTypeTag type={t} /> },
    { title: '笔数', dataIndex: 'totalCount', width: 72, align: 'right', render: (n: number) => n.toLocaleString('zh-CN') },
    { title: '总金额', dataIndex: 'totalFen', width: 132, align: 'right', render: (f: number) => <Money fen={f} strong /> },
    {
      title: '执行进度',
      key: 'progress',
      width: 260,
      render: (_, b) =>
        showsProgress(b) ? (
          <Space orientation="vertical" size={0} style={{ width: '100%' }}>
            <BatchProgressBar progress={b.progress} compact />
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              已完成 {b.progress.doneCount}/{b.progress.totalCount} · 成功 {b.progress.successCount}
              {b.progress.failedCount ? <Typography.Text type="danger" style={{ fontSize: 12 }}> · 失败 {b.progress.failedCount}</Typography.Text> : null}
              {b.progress.waitConfirmCount ? ` · 待确认 ${b.progress.waitConfirmCount}` : ''}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{NOT_STARTED[b.status] ?? '—'}</Typography.Text>
        ),
    },
    { title: '状态', dataIndex: 'status', width: 96, render: (s: BatchListItem['status']) => <BatchStatusTag status={s} /> },
    {
      title: '制单',
      key: 'created',
      width: 160,
      render: (_, b) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: 'nowrap' }}>{formatTime(b.createdAt)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {b.createdByName} · {b.sourceLabel}
          </Typography.Text>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title="批量付款任务"
        sub="员工薪资与供应商批量付款；审批通过后逐笔转账"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            {can('batch:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/batches/new')} data-testid="create-batch">
                新建批量任务
              </Button>
            ) : null}
          </>
        }
      />
      <QueryFilterForm key={filterKey(query, BATCH_FILTERS)} name="batch-filter" filters={BATCH_FILTERS} query={query} onSearch={(f) => setQuery({ ...f, page: 1 })} data-testid="batch-filters">
        <Form.Item label="批次号 / 名称" name="keyword">
          <Input allowClear placeholder="批次号或任务名称" style={{ width: 200 }} />
        </Form.Item>
        <CodesFilterItem label="状态" name="statuses" labels={v.batchStatuses} width={220} />
        <CodesFilterItem label="类型" name="types" labels={v.batchTypes} width={180} />
        <DayRangeFilterItem label="创建时间" />
      </QueryFilterForm>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : (
        <Table<BatchListItem>
          data-testid="batch-table"
          size="small"
          rowKey="batchNo"
          columns={columns}
          loading={quietLoading(list.loading)}
          dataSource={list.data?.items ?? []}
          pagination={pagedListPagination(list.data, input, setQuery)}
          onRow={(b) => ({ onClick: () => navigate(`/batches/${b.batchNo}`), style: { cursor: 'pointer' } })}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  filtered ? (
                    '没有符合条件的批量任务，请调整筛选条件'
                  ) : (
                    <Flex vertical gap={4} align="center">
                      <span>暂无批量付款任务</span>
                      {can('batch:create') ? <Typography.Text type="secondary">点击「新建批量任务」导入 Excel / CSV 收款明细，或在薪资表审核通过后生成。</Typography.Text> : null}
                    </Flex>
                  )
                }
              />
            ),
          }}
        />
      )}
    </>
  );
}
