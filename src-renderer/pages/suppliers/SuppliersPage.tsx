import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { LoadError } from '../../components/LoadError';
import { PageTitle } from '../../components/PageTitle';
import { SensitiveValue } from '../../components/SensitiveValue';

type Supplier = ChannelOutput<'suppliers.list'>['items'][number];
type Channel = Supplier['payeeChannel'];

interface SupplierForm {
  name: string;
  payeeChannel: Channel;
  bankName?: string;
  bankBranch?: string;
  accountNo?: string;
  accountName: string;
  wechatOpenId?: string;
  alipayLogin?: string;
  contactPhone?: string;
  paymentTermDays: number;
  active: boolean;
}

/** The payee account on the supplier's channel, masked; the eye reveals it (sensitive:unmask, audited). */
export function PayeeAccount({ s }: { s: Pick<Supplier, 'id' | 'payeeChannel' | 'payeeAccountMasked'> }) {
  const field = s.payeeChannel === 'bank' ? 'accountNo' : s.payeeChannel === 'wechat' ? 'wechatOpenId' : 'alipayLogin';
  const reveal = useCallback(async () => (await call('sensitive.reveal', { entityType: 'supplier', entityId: String(s.id), field })).value, [s.id, field]);
  return <SensitiveValue masked={s.payeeAccountMasked} reveal={reveal} label="收款账号" />;
}

/** 供应商: who we pay, how (bank / WeChat / Alipay), on what contract payment term. */
export function SuppliersPage() {
  const { can } = useAuth();
  const v = useVocabulary();
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);
  const list = useChannel('suppliers.list', { name: name || undefined, page, pageSize: 20 });
  const manage = can('supplier:manage');

  const columns: TableColumnsType<Supplier> = [
    { title: '供应商', dataIndex: 'name', ellipsis: true },
    {
      title: '收款方式 / 开户行',
      key: 'channel',
      width: 160,
      ellipsis: true,
      render: (_, s) => (
        <Space orientation="vertical" size={0}>
          <span>{v.payeeChannels[s.payeeChannel]}</span>
          {s.payeeChannel === 'bank' ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[s.bankName, s.bankBranch].filter(Boolean).join(' ') || '—'}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: '收款户名', dataIndex: 'accountName', width: 140, ellipsis: true },
    { title: '收款账号', key: 'account', width: 228, render: (_, s) => <PayeeAccount s={s} /> },
    { title: '付款周期', dataIndex: 'paymentTermDays', width: 80, align: 'right', render: (d: number) => `${d} 天` },
    { title: '联系电话', dataIndex: 'contactPhoneMasked', width: 110, render: (p: string) => p || '—' },
    { title: '状态', dataIndex: 'active', width: 64, render: (a: boolean) => (a ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>) },
    ...(manage ? [{ title: '操作', key: 'ops', width: 64, fixed: 'right' as const, render: (_: unknown, s: Supplier) => <Button size="small" type="link" onClick={() => setEditing(s)}>编辑</Button> }] : []),
  ];

  return (
    <>
      <PageTitle
        title="供应商"
        sub="收款账号默认脱敏显示，查看完整账号会记录审计"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>
            {manage ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-supplier">新增供应商</Button> : null}
          </>
        }
      />
      <Space style={{ marginBottom: 12 }}>
        <Input.Search placeholder="供应商名称" aria-label="供应商名称" allowClear style={{ width: 260 }} onSearch={(s) => { setName(s.trim()); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Supplier>
        data-testid="supplier-table"
        size="small"
        rowKey="id"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1000 }}
        onRow={(s) => ({ style: s.active ? undefined : { color: 'rgba(0, 0, 0, 0.45)' } })}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={name ? `没有名称包含“${name}”的供应商` : manage ? '暂无供应商。点击「新增供应商」登记收款账户和付款周期。' : '暂无供应商'} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
      <SupplierFormModal editing={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); list.reload(); }} />
    </>
  );
}

function SupplierFormModal({ editing, onClose, onSaved }: { editing: Supplier | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const v = useVocabulary();
  const report = useReportError();
  const [form] = Form.useForm<SupplierForm>();
  const channel = Form.useWatch('payeeChannel', form) ?? (editing && editing !== 'new' ? editing.payeeChannel : 'bank');
  const existing = editing && editing !== 'new' ? editing : null;
  const initial: Partial<SupplierForm> = existing
    ? { name: existing.name, payeeChannel: existing.payeeChannel, bankName: existing.bankName, bankBranch: existing.bankBranch, accountName: existing.accountName, paymentTermDays: existing.paymentTermDays, active: existing.active }
    : { payeeChannel: 'bank', paymentTermDays: 30, active: true };
  // Stored accounts are never sent to the form: an empty field keeps the stored value.
  const keep = existing ? `留空则不修改（当前 ${existing.payeeAccountMasked || '未填写'}）` : undefined;
  const submit = async (f: SupplierForm) => {
    const base = {
      name: f.name, payeeChannel: f.payeeChannel, bankName: f.bankName ?? '', bankBranch: f.bankBranch ?? '', accountName: f.accountName,
      paymentTermDays: f.paymentTermDays, active: f.active,
    };
    const accounts = { accountNo: f.accountNo || undefined, wechatOpenId: f.wechatOpenId || undefined, alipayLogin: f.alipayLogin || undefined, contactPhone: f.contactPhone || undefined };
    try {
      if (existing) await call('suppliers.update', { id: existing.id, version: existing.version, ...base, ...accounts });
      else await call('suppliers.create', { ...base, ...accounts });
      onSaved();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<SupplierForm> title={existing ? `编辑供应商：${existing.name}` : '新增供应商'} name="supplier" open={editing !== null} form={form} onSubmit={submit} onCancel={onClose} initialValues={initial} okText="保存" width={600} data-testid="supplier-form">
      <Form.Item name="name" label="供应商名称" rules={[{ required: true, message: '请填写供应商名称' }]}>
        <Input maxLength={128} />
      </Form.Item>
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="payeeChannel" label="收款方式" rules={[{ required: true }]} style={{ width: 160 }}>
          <Select options={optionsOf(v.payeeChannels)} />
        </Form.Item>
        <Form.Item name="paymentTermDays" label="付款周期（天）" rules={[{ required: true, message: '请填写付款周期' }]} style={{ width: 140 }}>
          <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="active" label="状态" valuePropName="checked" tooltip="停用的供应商不能再制作付款单">
          <Switch checkedChildren="启用" unCheckedChildren="停用" />
        </Form.Item>
      </Space>
      <Form.Item name="accountName" label="收款户名" rules={[{ required: true, message: '请填写收款户名' }]} extra="转账时与收款账户核对，须与开户名一致">
        <Input maxLength={128} />
      </Form.Item>
      {channel === 'bank' ? (
        <>
          <Space size="middle" style={{ display: 'flex' }}>
            <Form.Item name="bankName" label="开户银行" rules={[{ required: true, message: '请填写开户银行' }]} style={{ width: 240 }}>
              <Input maxLength={64} />
            </Form.Item>
            <Form.Item name="bankBranch" label="开户支行" style={{ width: 280 }}>
              <Input maxLength={128} />
            </Form.Item>
          </Space>
          <Form.Item name="accountNo" label="银行账号" rules={existing ? [] : [{ required: true, message: '请填写银行账号' }]} extra={keep}>
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
        </>
      ) : channel === 'wechat' ? (
        <Form.Item name="wechatOpenId" label="收款人 OpenID" rules={existing ? [] : [{ required: true, message: '请填写 OpenID' }]} extra={keep}>
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
      ) : (
        <Form.Item name="alipayLogin" label="收款支付宝账号" rules={existing ? [] : [{ required: true, message: '请填写支付宝账号' }]} extra={keep}>
          <Input maxLength={128} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="contactPhone" label="联系电话（付款结果短信）" extra={existing ? `留空则不修改（当前 ${existing.contactPhoneMasked || '未填写'}）` : undefined}>
        <Input maxLength={20} autoComplete="off" />
      </Form.Item>
    </FormModal>
  );
}
