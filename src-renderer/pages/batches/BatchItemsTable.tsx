import { Button, Empty, Input, Select, Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import type { ChannelInput } from '../../../src-main/api/contract';
import { useChannel } from '../../app/use-channel';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { pagedListPagination } from '../../components/paged-table';
import { formatMinute, formatTime } from '../../components/time-format';
import { ItemStatusTag, type BatchItem, type ItemStatus, type PayeeChannel } from './batch-tags';
import { quietLoading } from './use-polling';

const FAILURE_STATUSES: ItemStatus[] = ['failed', 'resend_approval'];

interface Props {
  batchNo: string;
  /** 付款明细 (every item, filterable) or 失败明细 (failed and being re-sent, with their actions). */
  mode: 'all' | 'failures';
  /** Changes whenever the batch's numbers do: the page is read again. */
  refreshKey: string;
  onOpen: (item: BatchItem) => void;
  /** Set when the user may fix and re-send failed items. */
  onFix?: (item: BatchItem) => void;
  onResend?: (item: BatchItem) => void;
}

/** The items of a batch, one page at a time, with what happened to each transfer. */
export function BatchItemsTable({ batchNo, mode, refreshKey, onOpen, onFix, onResend }: Props) {
  const v = useVocabulary();
  const [statuses, setStatuses] = useState<ItemStatus[]>([]);
  const [channel, setChannel] = useState<PayeeChannel | undefined>();
  const [keyword, setKeyword] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const input: ChannelInput<'batches.items'> = {
    batchNo,
    statuses: mode === 'failures' ? FAILURE_STATUSES : statuses.length ? statuses : undefined,
    channel,
    keyword: keyword || undefined,
    ...paging,
  };
  const items = useChannel('batches.items', input);
  const { reload } = items;
  const seen = useRef(refreshKey);
  useEffect(() => {
    if (seen.current === refreshKey) return;
    seen.current = refreshKey;
    reload();
  }, [refreshKey, reload]);

  const failures = mode === 'failures';
  const mono = { fontSize: 12, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' };
  const columns: TableColumnsType<BatchItem> = [
    { title: '序号', dataIndex: 'seq', width: 50, align: 'right' },
    {
      title: '收款人',
      key: 'payee',
      width: 120,
      render: (_, i) => (
        <Space orientation="vertical" size={0} style={{ maxWidth: 108 }}>
          <Typography.Text strong>{i.payeeName}</Typography.Text>
          {i.remark ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 108 }} ellipsis={{ tooltip: i.remark }}>
              {i.remark}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: '收款方式 / 账号',
      key: 'account',
      width: 180,
      render: (_, i) => (
        <Space orientation="vertical" size={0} style={{ maxWidth: 168 }}>
          <Typography.Text ellipsis={{ tooltip: i.bankName ? `${i.channelLabel} · ${i.bankName}` : undefined }} style={{ maxWidth: 168 }}>
            {i.channelLabel}
            {i.bankName ? <Typography.Text type="secondary"> · {i.bankName}</Typography.Text> : null}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
            {i.accountMasked}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '金额', dataIndex: 'amountFen', width: 110, align: 'right', render: (f: number) => <Money fen={f} strong /> },
    {
      title: '状态',
      key: 'status',
      width: failures ? 100 : 140,
      render: (_, i) => (
        <Space orientation="vertical" size={2}>
          <ItemStatusTag status={i.status} />
          {i.status === 'wait_confirm' && i.confirmExpiresAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="confirm-expiry">
              确认截止 {formatMinute(i.confirmExpiresAt).slice(5)}
            </Typography.Text>
          ) : null}
          {i.attempt > 1 ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              第 {i.attempt} 次发送
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    ...(failures ? [] : [{ title: '到账', dataIndex: 'expectedArrival', width: 160, render: (a: string, i: BatchItem) => <span style={{ fontSize: 12 }}>{i.status === 'failed' || i.status === 'cancelled' ? '—' : a}</span> }]),
    {
      title: '转账请求号 / 完成时间',
      key: 'transfer',
      width: 250,
      render: (_, i) => (
        <Space orientation="vertical" size={0}>
          {i.transferNo ? (
            <Tooltip title={i.platformTransferNo ? `平台单号 ${i.platformTransferNo}` : '平台尚未返回单号'}>
              <Typography.Text copyable={{ text: i.transferNo }} style={mono}>
                {i.transferNo}
              </Typography.Text>
            </Tooltip>
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              未发送
            </Typography.Text>
          )}
          {i.finishedAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {formatTime(i.finishedAt)}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: failures ? '失败原因' : '失败原因 / 说明',
      dataIndex: 'failReason',
      render: (r: string | null, i) =>
        r ? (
          <Typography.Paragraph type={i.status === 'failed' ? 'danger' : 'secondary'} ellipsis={{ rows: 2, tooltip: r }} style={{ margin: 0, fontSize: 12, minWidth: 120 }} data-testid="fail-reason">
            {r}
          </Typography.Paragraph>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];
  if (failures && (onFix || onResend))
    columns.push({
      title: '处理',
      key: 'actions',
      width: 128,
      render: (_, i) =>
        i.status === 'resend_approval' ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>审批通过后发送</Typography.Text>
        ) : (
          <Space orientation="vertical" size={4} onClick={(e) => e.stopPropagation()}>
            {onFix && i.canFix ? (
              <Button size="small" onClick={() => onFix(i)} data-testid={`fix-item-${i.seq}`}>
                修改收款信息
              </Button>
            ) : null}
            {onResend && i.canResend ? (
              <Button size="small" type="primary" onClick={() => onResend(i)} data-testid={`resend-item-${i.seq}`}>
                重新发送
              </Button>
            ) : null}
          </Space>
        ),
    });

  return (
    <>
      {mode === 'all' ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            mode="multiple"
            allowClear
            placeholder="全部状态"
            aria-label="明细状态"
            style={{ minWidth: 220 }}
            maxTagCount="responsive"
            options={optionsOf(v.batchItemStatuses)}
            value={statuses}
            onChange={(s: ItemStatus[]) => {
              setStatuses(s);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
            data-testid="item-status-filter"
          />
          <Select
            allowClear
            placeholder="全部收款方式"
            aria-label="收款方式"
            style={{ width: 160 }}
            options={optionsOf(v.payeeChannels)}
            value={channel}
            onChange={(c?: PayeeChannel) => {
              setChannel(c);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
          />
          <Input.Search
            allowClear
            placeholder="收款人姓名或序号"
            aria-label="搜索明细"
            style={{ width: 220 }}
            onSearch={(s) => {
              setKeyword(s.trim());
              setPaging((p) => ({ ...p, page: 1 }));
            }}
          />
        </Space>
      ) : null}
      {items.error ? <LoadError error={items.error} onRetry={items.reload} /> : null}
      <Table<BatchItem>
        size="small"
        rowKey="id"
        data-testid={mode === 'failures' ? 'failure-table' : 'item-table'}
        columns={columns}
        loading={quietLoading(items.loading)}
        dataSource={items.data?.items ?? []}
        pagination={pagedListPagination(items.data, paging, setPaging)}
        scroll={{ x: 1150 }}
        onRow={(i) => ({ onClick: () => onOpen(i), style: { cursor: 'pointer' }, 'data-seq': i.seq }) as HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={mode === 'failures' ? '没有失败的明细' : statuses.length || channel || keyword ? '没有符合条件的明细' : '暂无明细'} />,
        }}
      />
    </>
  );
}
