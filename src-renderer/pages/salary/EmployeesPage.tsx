import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Form, Input, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { fenToYuanInput } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { SensitiveValue } from '../../components/SensitiveValue';
import { unscaled } from './salary-preview';

type Employee = ChannelOutput<'salary.listEmployees'>['items'][number];
type Channel = Employee['payeeChannel'];

interface EmployeeForm {
  employeeNo: string;
  name: string;
  department?: string;
  payeeChannel: Channel;
  bankName?: string;
  account?: string;
  phone?: string;
  baseSalary?: string;
  rate?: string;
  active: boolean;
}

const ACCOUNT_LABELS: Record<Channel, string> = { bank: '银行卡号', wechat: '微信 OpenID', alipay: '支付宝账号（手机号或邮箱）' };

/** The employee's payee account, masked; the eye reveals it (sensitive:unmask, audited). */
export function EmployeeAccount({ e }: { e: Pick<Employee, 'id' | 'accountMasked'> }) {
  const reveal = useCallback(async () => (await call('sensitive.reveal', { entityType: 'employee', entityId: String(e.id), field: 'account' })).value, [e.id]);
  return <SensitiveValue masked={e.accountMasked} reveal={reveal} label="收款账号" />;
}

/** 员工: who is paid a salary, on which channel and account (the employee's choice, design document 2.3.1). */
export function EmployeesPage() {
  const { can } = useAuth();
  const v = useVocabulary();
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Employee | 'new' | null>(null);
  const list = useChannel('salary.listEmployees', { keyword: keyword || undefined, page, pageSize: 20 });
  const edit = can('salary:edit');

  const columns: TableColumnsType<Employee> = [
    {
      title: '员工',
      key: 'name',
      width: 120,
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          <span>{e.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{[e.employeeNo, e.department].filter(Boolean).join(' · ')}</Typography.Text>
        </Space>
      ),
    },
    {
      title: '发放方式 / 开户行',
      key: 'channel',
      width: 130,
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          <span>{v.payeeChannels[e.payeeChannel]}</span>
          {e.payeeChannel === 'bank' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.bankName}</Typography.Text> : null}
        </Space>
      ),
    },
    { title: '收款账号', key: 'account', width: 230, render: (_, e) => <EmployeeAccount e={e} /> },
    { title: '手机号', dataIndex: 'phoneMasked', width: 110, render: (p: string) => p || '—' },
    { title: '基本工资', dataIndex: 'baseFen', width: 104, align: 'right', render: (f: number) => <Money fen={f} muteZero /> },
    { title: '工作量单价', dataIndex: 'rateCfen', width: 92, align: 'right', render: (r: number) => (r ? `¥${unscaled(r, 4)}` : '—') },
    { title: '状态', dataIndex: 'active', width: 64, render: (a: boolean) => (a ? <Tag color="success">在职</Tag> : <Tag>停用</Tag>) },
    {
      title: '操作',
      key: 'ops',
      width: 112,
      render: (_, e) => (
        <Space size={0}>
          <Link to={`/salary/payslips?employeeId=${e.id}`}>工资条</Link>
          {edit ? <Button size="small" type="link" onClick={() => setEditing(e)}>编辑</Button> : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title="员工"
        sub="收款账号默认脱敏显示，查看完整账号会记录审计"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>
            {edit ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-employee">新增员工</Button> : null}
          </>
        }
      />
      <Space style={{ marginBottom: 12 }}>
        <Input.Search placeholder="姓名、工号或部门" aria-label="搜索员工" allowClear style={{ width: 260 }} onSearch={(s) => { setKeyword(s.trim()); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Employee>
        data-testid="employee-table"
        size="small"
        rowKey="id"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        onRow={(e) => ({ style: e.active ? undefined : { color: 'rgba(0, 0, 0, 0.45)' } })}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={keyword ? `没有匹配“${keyword}”的员工` : edit ? '暂无员工。点击「新增员工」登记发放方式和收款账号。' : '暂无员工'} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 人` }}
      />
      <EmployeeFormModal editing={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); list.reload(); }} />
    </>
  );
}

function EmployeeFormModal({ editing, onClose, onSaved }: { editing: Employee | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const v = useVocabulary();
  const report = useReportError();
  const [form] = Form.useForm<EmployeeForm>();
  const existing = editing && editing !== 'new' ? editing : null;
  const channel = Form.useWatch('payeeChannel', form) ?? existing?.payeeChannel ?? 'bank';
  const initial: Partial<EmployeeForm> = existing
    ? {
        employeeNo: existing.employeeNo, name: existing.name, department: existing.department, payeeChannel: existing.payeeChannel, bankName: existing.bankName,
        baseSalary: fenToYuanInput(existing.baseFen), rate: unscaled(existing.rateCfen, 4), active: existing.active,
      }
    : { payeeChannel: 'bank', active: true, baseSalary: '', rate: '' };
  // Stored accounts are never sent to the form: an empty field keeps the stored value (unless the channel changes).
  const keepAccount = existing && channel === existing.payeeChannel ? `留空则不修改（当前 ${existing.accountMasked || '未填写'}）` : undefined;
  const submit = async (f: EmployeeForm) => {
    const fields = {
      employeeNo: f.employeeNo, name: f.name, department: f.department ?? '', payeeChannel: f.payeeChannel, bankName: f.bankName ?? '',
      baseSalary: f.baseSalary?.trim() || '0', rate: f.rate?.trim() || '0', active: f.active, account: f.account?.trim() || undefined, phone: f.phone?.trim() || undefined,
    };
    try {
      await call('salary.saveEmployee', existing ? { ...fields, id: existing.id, version: existing.version } : fields);
      onSaved();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<EmployeeForm> title={existing ? `编辑员工：${existing.name}` : '新增员工'} name="employee" open={editing !== null} form={form} onSubmit={submit} onCancel={onClose} initialValues={initial} okText="保存" width={600} data-testid="employee-form">
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="employeeNo" label="工号" rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,32}$/, message: '工号为字母、数字、下划线或横线' }]} style={{ width: 140 }}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]} extra="转账时核对收款人实名" style={{ width: 160 }}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="department" label="部门" style={{ width: 200 }}>
          <Input maxLength={64} />
        </Form.Item>
      </Space>
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="payeeChannel" label="发放方式" rules={[{ required: true }]} style={{ width: 160 }}>
          <Select options={optionsOf(v.payeeChannels)} />
        </Form.Item>
        {channel === 'bank' ? (
          <Form.Item name="bankName" label="开户银行" rules={[{ required: true, whitespace: true, message: '请填写开户银行' }]} style={{ width: 240 }}>
            <Input maxLength={64} />
          </Form.Item>
        ) : null}
      </Space>
      <Form.Item name="account" label={ACCOUNT_LABELS[channel]} rules={keepAccount ? [] : [{ required: true, whitespace: true, message: `请填写${ACCOUNT_LABELS[channel]}` }]} extra={keepAccount}>
        <Input maxLength={128} autoComplete="off" />
      </Form.Item>
      <Form.Item name="phone" label="手机号（工资条短信）" extra={existing ? `留空则不修改（当前 ${existing.phoneMasked || '未填写'}）` : undefined}>
        <Input maxLength={20} autoComplete="off" />
      </Form.Item>
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="baseSalary" label="默认基本工资（元）" tooltip="按员工档案生成薪资表时的基本工资" style={{ width: 180 }}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
        <Form.Item name="rate" label="默认工作量单价（元）" tooltip="每单位工作量（工时、件数等）的金额，最多 4 位小数" style={{ width: 180 }}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
        <Form.Item name="active" label="状态" valuePropName="checked" tooltip="停用的员工不再出现在新的薪资表中">
          <Switch checkedChildren="在职" unCheckedChildren="停用" />
        </Form.Item>
      </Space>
    </FormModal>
  );
}
