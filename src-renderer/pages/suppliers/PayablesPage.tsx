import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Empty, Form, Input, Select, Space, Switch, Table, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { PayableStatusTag, type PayableStatus } from './supplier-tags';

type Payable = ChannelOutput<'payables.list'>['items'][number];

interface PayableForm {
  supplierId: number;
  referenceNo: string;
  description?: string;
  amount: string;
  invoiceDate: Dayjs;
  dueDate?: Dayjs;
}

function dueText(p: Payable): string {
  if (p.status === 'paid') return '—';
  if (p.daysToDue < 0) return `逾期 ${-p.daysToDue} 天`;
  return p.daysToDue === 0 ? '今天到期' : `${p.daysToDue} 天后到期`;
}

/** 应付款: what we owe each supplier and when it falls due (by the contract's payment term); overdue rows in red. */
export function PayablesPage() {
  const { can } = useAuth();
  const v = useVocabulary();
  const navigate = useNavigate();
  const [supplierId, setSupplierId] = useState<number | undefined>();
  const [statuses, setStatuses] = useState<PayableStatus[]>(['open', 'in_payment']);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const suppliers = useChannel('suppliers.list', { pageSize: 200 });
  const list = useChannel('payables.list', { supplierId, statuses: statuses.length ? statuses : undefined, overdueOnly, page, pageSize: 20 });
  const due = useChannel('payables.due', { withinDays: 7 });
  const overdue = (due.data ?? []).filter((p) => p.overdue);
  const supplierOptions = (suppliers.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));

  const filtered = supplierId !== undefined || overdueOnly || !(statuses.length === 2 && statuses.includes('open') && statuses.includes('in_payment'));
  // Two lines where two facts belong together (单据号 and its invoice date, 已付 and what is being paid, the due date and
  // how far off it is), so the columns fit a 1280-pixel window beside the navigation.
  const columns: TableColumnsType<Payable> = [
    { title: '供应商', dataIndex: 'supplierName', width: 170, ellipsis: true },
    {
      title: '单据号 / 发票日期',
      dataIndex: 'referenceNo',
      width: 140,
      render: (no: string, p) => (
        <Space orientation="vertical" size={0}>
          <span>{no}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {p.invoiceDate}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '摘要', dataIndex: 'description', ellipsis: true },
    { title: '应付金额', dataIndex: 'amountFen', align: 'right', width: 124, render: (f: number) => <Money fen={f} /> },
    {
      title: '已付',
      dataIndex: 'paidFen',
      align: 'right',
      width: 136,
      render: (f: number, p) => (
        <Space orientation="vertical" size={0} align="end">
          <Money fen={f} muteZero />
          {p.reservedFen > 0 ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              付款中 <Money fen={p.reservedFen} />
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: '未付', dataIndex: 'openFen', align: 'right', width: 124, render: (f: number) => <Money fen={f} strong /> },
    {
      title: '到期日',
      dataIndex: 'dueDate',
      width: 112,
      render: (d: string, p) => (
        <Space orientation="vertical" size={0}>
          <span>{d}</span>
          <Typography.Text type={p.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            {dueText(p)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '状态', key: 'status', width: 80, render: (_, p) => <PayableStatusTag status={p.status} /> },
  ];

  return (
    <>
      <PageTitle
        title="应付款"
        sub="到期日 = 发票日期 + 合同付款周期"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => { list.reload(); due.reload(); }}>刷新</Button>
            {can('supplier_payment:create') ? <Button onClick={() => navigate('/supplier-payments?new=1')}>制作付款单</Button> : null}
            {can('supplier:manage') ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-payable">登记应付款</Button> : null}
          </>
        }
      />
      {overdue.length ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="overdue-payables" title={`${overdue.length} 笔应付款已逾期：${overdue.slice(0, 4).map((p) => `${p.supplierName} ${p.referenceNo}`).join('、')}${overdue.length > 4 ? ' 等' : ''}`} />
      ) : null}
      <Space style={{ marginBottom: 12 }} wrap>
        <Select placeholder="全部供应商" aria-label="供应商" allowClear showSearch optionFilterProp="label" style={{ width: 240 }} options={supplierOptions} value={supplierId} onChange={(id?: number) => { setSupplierId(id); setPage(1); }} />
        <Select mode="multiple" placeholder="全部状态" aria-label="状态" style={{ minWidth: 240 }} options={optionsOf(v.payableStatuses)} value={statuses} onChange={(s: PayableStatus[]) => { setStatuses(s); setPage(1); }} />
        <Space>
          <Switch checked={overdueOnly} onChange={(c) => { setOverdueOnly(c); setPage(1); }} />
          只看逾期
        </Space>
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Payable>
        data-testid="payable-table"
        size="small"
        rowKey="id"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        onRow={(p) => ({ style: p.overdue ? { background: '#fff1f0' } : undefined, 'data-overdue': p.overdue } as React.HTMLAttributes<HTMLElement>)}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filtered ? '没有符合条件的应付款，请调整筛选条件' : can('supplier:manage') ? '暂无未付清的应付款。收到供应商发票后点击「登记应付款」。' : '暂无未付清的应付款'}
            />
          ),
        }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
      <CreatePayableModal open={creating} supplierOptions={supplierOptions} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); list.reload(); due.reload(); }} />
    </>
  );
}

function CreatePayableModal({ open, supplierOptions, onClose, onCreated }: { open: boolean; supplierOptions: { value: number; label: string }[]; onClose: () => void; onCreated: () => void }) {
  const report = useReportError();
  const [form] = Form.useForm<PayableForm>();
  const submit = async (f: PayableForm) => {
    try {
      await call('payables.create', {
        supplierId: f.supplierId, referenceNo: f.referenceNo, description: f.description ?? '', amount: f.amount,
        invoiceDate: f.invoiceDate.format('YYYY-MM-DD'), dueDate: f.dueDate ? f.dueDate.format('YYYY-MM-DD') : undefined,
      });
      onCreated();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<PayableForm> title="登记应付款" name="payable" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="登记" data-testid="payable-form">
      <Form.Item name="supplierId" label="供应商" rules={[{ required: true, message: '请选择供应商' }]}>
        <Select showSearch optionFilterProp="label" options={supplierOptions} />
      </Form.Item>
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="referenceNo" label="发票 / 单据号" rules={[{ required: true, message: '请填写单据号' }]} style={{ width: 220 }}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="amount" label="应付金额（元）" rules={[{ required: true, message: '请填写金额' }, { pattern: /^\d+(\.\d{1,2})?$/, message: '金额格式如 1234.50' }]} style={{ width: 200 }}>
          <Input inputMode="decimal" />
        </Form.Item>
      </Space>
      <Form.Item name="description" label="摘要">
        <Input maxLength={256} />
      </Form.Item>
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="invoiceDate" label="发票日期" rules={[{ required: true, message: '请选择发票日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="dueDate" label="到期日" extra="不填则按供应商的付款周期计算">
          <DatePicker />
        </Form.Item>
      </Space>
    </FormModal>
  );
}
