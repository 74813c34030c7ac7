import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useChannel } from '../../app/use-channel';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';

type Voucher = ChannelOutput<'vouchers.list'>['items'][number];
type Kind = Voucher['kind'];
/** The kinds a voucher is issued for (the same words as VOUCHER_KIND_LABELS in the main process). */
const KIND_OPTIONS: { value: Kind; label: string }[] = [
  { value: 'supplier_payment', label: '供应商付款' },
  { value: 'refund', label: '退款' },
  { value: 'payout', label: '批量付款' },
];

/** 付款凭证 register: every voucher in number order within its year, newest first; each opens its printable view. */
export function VouchersPage() {
  const [voucherNo, setVoucherNo] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [kind, setKind] = useState<Kind | undefined>(undefined);
  const [page, setPage] = useState(1);
  const list = useChannel('vouchers.list', { kind, voucherNo: voucherNo || undefined, subjectId: subjectId || undefined, page, pageSize: 20 });
  const filtered = voucherNo !== '' || subjectId !== '' || kind !== undefined;
  // Payee and account, business number and its kind share a cell: the register fits a 1280-pixel window.
  const columns: TableColumnsType<Voucher> = [
    { title: '凭证号', dataIndex: 'voucherNo', width: 130, render: (no: string) => <Link to={`/vouchers/${no}`}>{no}</Link> },
    { title: '付款时间', dataIndex: 'issuedAt', width: 150, render: (t: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(t)}</span> },
    {
      title: '收款单位 / 账号',
      dataIndex: 'payeeName',
      ellipsis: true,
      render: (name: string, v) => (
        <Space orientation="vertical" size={0}>
          <span>{name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {v.payeeAccountMasked || '—'}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '金额', dataIndex: 'amountFen', align: 'right', width: 124, render: (f: number) => <Money fen={f} strong /> },
    { title: '用途', dataIndex: 'purpose', ellipsis: true },
    {
      title: '业务单号 / 类型',
      dataIndex: 'subjectId',
      width: 200,
      render: (no: string, v) => (
        <Space orientation="vertical" size={0}>
          {v.kind === 'supplier_payment' ? <Link to={`/supplier-payments/${no}`}>{no}</Link> : v.kind === 'refund' ? <Link to={`/refunds?refundNo=${no}&detail=${no}`}>{no}</Link> : <span>{no}</span>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {v.kindLabel}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'print',
      width: 72,
      fixed: 'right',
      render: (_, v) => (
        <Link to={`/vouchers/${v.voucherNo}`}>
          <PrinterOutlined /> 打印
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageTitle title="付款凭证" sub="付款成功后系统自动生成，按年度连续编号" extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>} />
      <Space style={{ marginBottom: 12 }} wrap>
        <Select<Kind> placeholder="全部类型" allowClear style={{ width: 140 }} value={kind} options={KIND_OPTIONS} onChange={(k) => { setKind(k); setPage(1); }} data-testid="voucher-kind" />
        <Input.Search placeholder="凭证号，如 FK2026-000123" aria-label="凭证号" allowClear style={{ width: 260 }} onSearch={(s) => { setVoucherNo(s.trim()); setPage(1); }} />
        <Input.Search placeholder="业务单号" aria-label="业务单号" allowClear style={{ width: 260 }} onSearch={(s) => { setSubjectId(s.trim()); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Voucher>
        data-testid="voucher-table"
        size="small" rowKey="voucherNo" columns={columns} loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? '没有符合条件的付款凭证，请调整筛选条件' : '暂无付款凭证。付款或退款成功后，凭证会自动生成并出现在这里。'} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
    </>
  );
}
