import { ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useChannel } from '../../app/use-channel';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';

type Voucher = ChannelOutput<'vouchers.list'>['items'][number];

/** 付款凭证 register: every voucher in number order within its year, newest first; each opens its printable view. */
export function VouchersPage() {
  const [voucherNo, setVoucherNo] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [page, setPage] = useState(1);
  const list = useChannel('vouchers.list', { voucherNo: voucherNo || undefined, subjectId: subjectId || undefined, page, pageSize: 20 });
  const columns: TableColumnsType<Voucher> = [
    { title: '凭证号', dataIndex: 'voucherNo', width: 140, render: (no: string) => <Link to={`/vouchers/${no}`}>{no}</Link> },
    { title: '类型', dataIndex: 'kindLabel', width: 100 },
    { title: '业务单号', dataIndex: 'subjectId', width: 210, render: (no: string, v) => (v.kind === 'supplier_payment' ? <Link to={`/supplier-payments/${no}`}>{no}</Link> : no) },
    { title: '收款单位', dataIndex: 'payeeName', width: 180 },
    { title: '收款账号', dataIndex: 'payeeAccountMasked', width: 200 },
    { title: '金额', dataIndex: 'amountFen', align: 'right', width: 130, render: (f: number) => <Money fen={f} strong /> },
    { title: '用途', dataIndex: 'purpose', ellipsis: true },
    { title: '付款时间', dataIndex: 'issuedAt', width: 160, render: (t: number) => formatTime(t) },
  ];
  return (
    <>
      <PageTitle title="付款凭证" extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>} />
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search placeholder="凭证号，如 FK2026-000123" allowClear style={{ width: 260 }} onSearch={(s) => { setVoucherNo(s.trim()); setPage(1); }} />
        <Input.Search placeholder="业务单号" allowClear style={{ width: 260 }} onSearch={(s) => { setSubjectId(s.trim()); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Voucher>
        size="small" rowKey="voucherNo" columns={columns} loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 1300 }} locale={{ emptyText: '暂无付款凭证' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
    </>
  );
}
