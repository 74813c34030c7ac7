import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Flex, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
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
  const [supplierId, setSupplierId] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const list = useChannel('supplierpayments.list', { supplierId, statuses: statuses.length ? statuses : undefined, paymentNo: paymentNo || undefined, page, pageSize: 20 });
  const suppliers = useChannel('suppliers.list', { pageSize: 200 });
  const creating = params.get('new') === '1';
  const filtered = supplierId !== undefined || statuses.length > 0 || paymentNo !== '';

  const columns: TableColumnsType<Payment> = [
    { title: '付款单号', dataIndex: 'paymentNo', width: 196, render: (no: string) => <Link to={`/supplier-payments/${no}`}>{no}</Link> },
    { title: '供应商', dataIndex: 'supplierName', ellipsis: true },
    { title: '金额', dataIndex: 'amountFen', align: 'right', width: 124, render: (f: number) => <Money fen={f} strong /> },
    { title: '付款用途', dataIndex: 'purpose', ellipsis: true },
    { title: '状态', dataIndex: 'status', width: 92, render: (s: PaymentStatus) => <PaymentStatusTag status={s} /> },
    { title: '凭证号', dataIndex: 'voucherNo', width: 124, render: (no: string | null) => (no ? <Link to={`/vouchers/${no}`}>{no}</Link> : '—') },
    {
      title: '制单',
      key: 'created',
      width: 150,
      render: (_, p) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: 'nowrap' }}>{formatTime(p.createdAt)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {p.createdByName}
          </Typography.Text>
        </Space>
      ),
    },
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
        <Select
          placeholder="全部供应商" allowClear showSearch optionFilterProp="label" style={{ width: 240 }} value={supplierId} aria-label="供应商"
          options={(suppliers.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} onChange={(id?: number) => { setSupplierId(id); setPage(1); }}
        />
        <Select mode="multiple" placeholder="全部状态" style={{ minWidth: 240 }} options={optionsOf(v.supplierPaymentStatuses)} value={statuses} aria-label="状态" onChange={(s: PaymentStatus[]) => { setStatuses(s); setPage(1); }} />
        <Input.Search placeholder="付款单号" allowClear style={{ width: 240 }} aria-label="付款单号" onSearch={(s) => { setPaymentNo(s.trim()); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Payment>
        data-testid="payment-table"
        size="small"
        rowKey="paymentNo"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filtered ? '没有符合条件的付款单，请调整筛选条件' : can('supplier_payment:create') ? '暂无付款单。点击「新建付款单」，选择供应商和要支付的应付款。' : '暂无付款单'}
            />
          ),
        }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
      <CreatePaymentModal open={creating} onClose={() => setParams({})} onCreated={(no) => navigate(`/supplier-payments/${no}`)} />
    </>
  );
}

/** Pick a supplier, tick its open payables and how much of each to pay now (at most what is open), and the purpose. */
function CreatePaymentModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (paymentNo: string) => void }) {
  const v = useVocabulary();
  const report = useReportError();
  const [supplierId, setSupplierId] = useState<number | undefined>();
  const [selected, setSelected] = useState<number[]>([]);
  const [amounts, setAmounts] = useState<Record<number, number>>({});
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const suppliers = useChannel('suppliers.list', open ? { activeOnly: true, pageSize: 200 } : null);
  const supplier = (suppliers.data?.items ?? []).find((s) => s.id === supplierId);
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
    {
      title: '到期日', dataIndex: 'dueDate', width: 150,
      render: (d: string, p) => (
        <Space size={4} style={{ whiteSpace: 'nowrap' }}>
          <span>{d}</span>
          {p.overdue ? <Tag color="error" style={{ marginInlineEnd: 0 }}>逾期</Tag> : null}
        </Space>
      ),
    },
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
      <Form layout="vertical" component="div" name="payment-create">
        <Form.Item label="供应商" required style={{ marginBottom: 20 }} help={supplier ? `收款：${v.payeeChannels[supplier.payeeChannel]} · ${supplier.accountName} · ${supplier.payeeAccountMasked || '未填写账号'}` : '只列出启用的供应商'}>
          <Select
            placeholder="选择供应商" showSearch optionFilterProp="label" style={{ width: 360 }} value={supplierId} onChange={pickSupplier} data-testid="payment-supplier"
            loading={suppliers.loading} options={(suppliers.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        {suppliers.error ? <LoadError error={suppliers.error} onRetry={suppliers.reload} /> : null}
        {payables.error ? <LoadError error={payables.error} onRetry={payables.reload} /> : null}
        <Typography.Text strong style={{ display: 'block', marginTop: 16 }}>
          选择要支付的应付款
        </Typography.Text>
        <Table<Payable>
          size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false} loading={payables.loading} style={{ margin: '8px 0 16px' }}
          scroll={{ y: 280 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={supplierId ? '该供应商没有未付的应付款，请先在「应付款」中登记' : '请先选择供应商'} /> }}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys, picked) => {
              setSelected(keys as number[]);
              setAmounts((a) => Object.fromEntries(picked.map((p) => [p.id, a[p.id] ?? p.openFen / 100])));
            },
          }}
        />
        <Form.Item label="付款用途" required style={{ marginBottom: 12 }} help="打印在付款凭证上">
          <Input placeholder="如：11月蔬菜货款" maxLength={128} value={purpose} onChange={(e) => setPurpose(e.target.value)} data-testid="payment-purpose" />
        </Form.Item>
        <Alert
          type="info"
          style={{ marginTop: 28 }}
          title={
            <Flex justify="space-between" align="baseline" gap={12} wrap>
              <span>
                本次付款合计 <Typography.Text strong data-testid="payment-total">{formatFen(total)}</Typography.Text>（{selected.length} 笔应付款）
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                保存为草稿后提交审批，审批通过后才会转账
              </Typography.Text>
            </Flex>
          }
        />
      </Form>
    </Modal>
  );
}
