import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Modal, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatFen } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { PaymentStatusTag, type PaymentStatus } from './supplier-tags';

type Payment = ChannelOutput<'supplierpayments.list'>['items'][number];
type Payable = ChannelOutput<'payables.list'>['items'][number];

/** 付款单: payment orders over payables, their approval and transfer. */
export function SupplierPaymentsPage() {
  const { can } = useAuth();
  const v = useVocabulary();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [statuses, setStatuses] = useState<PaymentStatus[]>([]);
  const [paymentNo, setPaymentNo] = useState('');
  const [page, setPage] = useState(1);
  const list = useChannel('supplierpayments.list', { statuses: statuses.length ? statuses : undefined, paymentNo: paymentNo || undefined, page, pageSize: 20 });
  const creating = params.get('new') === '1';

  const columns: TableColumnsType<Payment> = [
    { title: '付款单号', dataIndex: 'paymentNo', width: 210, render: (no: string) => <Link to={`/supplier-payments/${no}`}>{no}</Link> },
    { title: '供应商', dataIndex: 'supplierName', width: 180 },
    { title: '金额', dataIndex: 'amountFen', align: 'right', width: 130, render: (f: number) => <Money fen={f} strong /> },
    { title: '用途', dataIndex: 'purpose', width: 180, ellipsis: true },
    { title: '状态', dataIndex: 'status', width: 100, render: (s: PaymentStatus) => <PaymentStatusTag status={s} /> },
    { title: '收款账号', dataIndex: 'payeeAccountMasked', width: 200, render: (a: string) => a || '—' },
    { title: '凭证号', dataIndex: 'voucherNo', width: 140, render: (no: string | null) => (no ? <Link to={`/vouchers/${no}`}>{no}</Link> : '—') },
    { title: '制单人', dataIndex: 'createdByName', width: 100 },
    { title: '制单时间', dataIndex: 'createdAt', width: 160, render: (t: number) => formatTime(t) },
  ];

  return (
    <>
      <PageTitle
        title="付款单"
        sub="审批通过后由系统发起转账；结果以支付平台通知或查询为准"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>
            {can('supplier_payment:create') ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setParams({ new: '1' })} data-testid="create-payment">新建付款单</Button> : null}
          </>
        }
      />
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search placeholder="付款单号" allowClear style={{ width: 260 }} onSearch={(s) => { setPaymentNo(s.trim()); setPage(1); }} />
        <Select mode="multiple" placeholder="全部状态" style={{ minWidth: 260 }} options={optionsOf(v.supplierPaymentStatuses)} value={statuses} onChange={(s: PaymentStatus[]) => { setStatuses(s); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Payment>
        data-testid="payment-table"
        size="small"
        rowKey="paymentNo"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1400 }}
        locale={{ emptyText: '暂无付款单' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
      <CreatePaymentModal open={creating} onClose={() => setParams({})} onCreated={(no) => navigate(`/supplier-payments/${no}`)} />
    </>
  );
}

/** Pick a supplier, tick its open payables and how much of each to pay now (at most what is open), and the purpose. */
function CreatePaymentModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (paymentNo: string) => void }) {
  const report = useReportError();
  const [supplierId, setSupplierId] = useState<number | undefined>();
  const [selected, setSelected] = useState<number[]>([]);
  const [amounts, setAmounts] = useState<Record<number, number>>({});
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const suppliers = useChannel('suppliers.list', open ? { activeOnly: true, pageSize: 200 } : null);
  const payables = useChannel('payables.list', open && supplierId ? { supplierId, statuses: ['open', 'in_payment'], pageSize: 200 } : null);
  const rows = useMemo(() => (payables.data?.items ?? []).filter((p) => p.openFen > 0), [payables.data]);
  const pickSupplier = (id: number) => {
    setSupplierId(id);
    setSelected([]);
    setAmounts({});
  };
  const total = selected.reduce((s, id) => s + Math.round((amounts[id] ?? 0) * 100), 0);

  const columns: TableColumnsType<Payable> = [
    { title: '单据号', dataIndex: 'referenceNo', width: 120 },
    { title: '摘要', dataIndex: 'description', ellipsis: true },
    { title: '到期日', dataIndex: 'dueDate', width: 110, render: (d: string, p) => <Typography.Text type={p.overdue ? 'danger' : undefined}>{d}</Typography.Text> },
    { title: '未付', dataIndex: 'openFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} /> },
    {
      title: '本次付款（元）', key: 'amount', width: 160,
      render: (_, p) => (
        <InputNumber
          size="small" min={0.01} max={p.openFen / 100} precision={2} style={{ width: 140 }} disabled={!selected.includes(p.id)}
          value={amounts[p.id]} onChange={(n) => setAmounts((a) => ({ ...a, [p.id]: n ?? 0 }))} aria-label={`${p.referenceNo} 本次付款`}
        />
      ),
    },
  ];

  const submit = async () => {
    setBusy(true);
    try {
      const created = await call('supplierpayments.create', {
        supplierId: supplierId!, purpose, allocations: selected.map((id) => ({ payableId: id, amount: (amounts[id] ?? 0).toFixed(2) })),
      });
      onCreated(created.paymentNo);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="新建付款单" open={open} width={820} onCancel={onClose} okText="保存草稿" onOk={submit} destroyOnHidden maskClosable={false}
      okButtonProps={{ loading: busy, disabled: !supplierId || !selected.length || !purpose.trim() || total <= 0 }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          placeholder="选择供应商" showSearch optionFilterProp="label" style={{ width: 320 }} value={supplierId} onChange={pickSupplier} data-testid="payment-supplier"
          options={(suppliers.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        {payables.error ? <LoadError error={payables.error} onRetry={payables.reload} /> : null}
        <Table<Payable>
          size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false} loading={payables.loading} locale={{ emptyText: supplierId ? '该供应商没有未付的应付款' : '请先选择供应商' }}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys, picked) => {
              setSelected(keys as number[]);
              setAmounts((a) => Object.fromEntries(picked.map((p) => [p.id, a[p.id] ?? p.openFen / 100])));
            },
          }}
        />
        <Input placeholder="付款用途（如：11月蔬菜货款）" maxLength={128} value={purpose} onChange={(e) => setPurpose(e.target.value)} data-testid="payment-purpose" />
        <Typography.Text>
          合计：<Typography.Text strong data-testid="payment-total">{formatFen(total)}</Typography.Text>
        </Typography.Text>
      </Space>
    </Modal>
  );
}
