import { Card, Col, Descriptions, Empty, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { EmployeeAccount } from './EmployeesPage';
import { PayoutStatusTag } from './salary-tags';

type Month = ChannelOutput<'salary.payslips'>['months'][number];

/** 工资条 (design document 2.3.1 提供薪资明细查询): pick an employee, see their months, open one month's detail. */
export function PayslipsPage() {
  const [query, setQuery] = useUrlQuery({ employeeId: 0, month: '' });
  const [keyword, setKeyword] = useState('');
  const employees = useChannel('salary.listEmployees', { keyword: keyword || undefined, pageSize: 50 });
  const months = useChannel('salary.payslips', query.employeeId ? { employeeId: query.employeeId } : null);
  const selectedMonth = query.month || months.data?.months[0]?.month || '';
  const slip = useChannel('salary.payslip', query.employeeId && selectedMonth ? { employeeId: query.employeeId, month: selectedMonth } : null);
  const options = (employees.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.employeeNo} ${e.name}${e.department ? ` · ${e.department}` : ''}` }));
  if (months.data && !options.some((o) => o.value === months.data!.employee.id))
    options.unshift({ value: months.data.employee.id, label: `${months.data.employee.employeeNo} ${months.data.employee.name}` });

  return (
    <>
      <PageTitle title="工资条" sub="员工每月的薪资明细与发放结果" />
      <Space style={{ marginBottom: 12 }}>
        <Select
          showSearch={{ filterOption: false, onSearch: setKeyword }}
          placeholder="输入姓名或工号查找员工"
          aria-label="员工"
          style={{ width: 320 }}
          value={query.employeeId || undefined}
          options={options}
          onChange={(id: number) => setQuery({ employeeId: id, month: '' })}
          data-testid="payslip-employee"
        />
      </Space>
      {months.error ? <LoadError error={months.error} onRetry={months.reload} /> : null}
      {!query.employeeId ? (
        <Empty description="请选择员工" />
      ) : (
        <Row gutter={16}>
          <Col flex="340px">
            <Table<Month>
              size="small"
              rowKey="month"
              loading={months.loading}
              dataSource={months.data?.months ?? []}
              pagination={false}
              data-testid="payslip-months"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该员工还没有薪资记录" /> }}
              onRow={(m) => ({ onClick: () => setQuery({ month: m.month }), style: { cursor: 'pointer', background: m.month === selectedMonth ? '#e6f4ff' : undefined } })}
              columns={[
                { title: '月份', dataIndex: 'month', width: 80 },
                { title: '实发', dataIndex: 'netFen', align: 'right', render: (f: number) => <Money fen={f} /> },
                { title: '发放', dataIndex: 'payoutStatus', width: 92, render: (s: Month['payoutStatus']) => <PayoutStatusTag status={s} /> },
              ]}
            />
          </Col>
          <Col flex="auto">{slip.error ? <LoadError error={slip.error} onRetry={slip.reload} /> : slip.data ? <PayslipCard slip={slip.data} /> : null}</Col>
        </Row>
      )}
    </>
  );
}

function PayslipCard({ slip }: { slip: ChannelOutput<'salary.payslip'> }) {
  const v = useVocabulary();
  const l = slip.line;
  return (
    <Card title={`${slip.employee.name} · ${slip.month} 工资条`} size="small" extra={<Tag>{slip.sheetStatusLabel}</Tag>} data-testid="payslip">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="工号">{slip.employee.employeeNo}</Descriptions.Item>
        <Descriptions.Item label="部门">{slip.employee.department || '—'}</Descriptions.Item>
        <Descriptions.Item label="基本工资"><Money fen={l.baseFen} /></Descriptions.Item>
        <Descriptions.Item label="工作量">{slip.unitsText} × ¥{slip.rateText} = <Money fen={l.workloadFen} /></Descriptions.Item>
        <Descriptions.Item label="津贴"><Money fen={l.allowanceFen} /></Descriptions.Item>
        <Descriptions.Item label="扣款"><Money fen={l.deductionFen} /></Descriptions.Item>
        <Descriptions.Item label="应发"><Money fen={l.grossFen} strong /></Descriptions.Item>
        <Descriptions.Item label="实发"><Money fen={l.netFen} strong /></Descriptions.Item>
        <Descriptions.Item label="发放方式">{v.payeeChannels[slip.employee.payeeChannel]}</Descriptions.Item>
        <Descriptions.Item label="收款账号"><EmployeeAccount e={slip.employee} /></Descriptions.Item>
        <Descriptions.Item label="发放状态">
          <PayoutStatusTag status={l.payoutStatus} />
          {l.failReason && l.payoutStatus !== 'paid' ? <Typography.Text type="danger">{l.failReason}</Typography.Text> : null}
        </Descriptions.Item>
        <Descriptions.Item label="发放时间">{formatTime(l.paidAt)}</Descriptions.Item>
        <Descriptions.Item label="批量付款">{l.batchNo ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="备注">{l.remark || '—'}</Descriptions.Item>
        <Descriptions.Item label="工资条通知" span={2}>
          {slip.notification ? (
            <Space orientation="vertical" size={2}>
              <span>{slip.notification.channelLabel} · {slip.notification.statusLabel}{slip.notification.sentAt ? ` · ${formatTime(slip.notification.sentAt)}` : ''}</span>
              <Typography.Text type="secondary">{slip.notification.content}</Typography.Text>
            </Space>
          ) : (
            <Typography.Text type="secondary">{l.payoutStatus === 'paid' ? '未发送（员工没有手机号或微信）' : '发放成功后发送'}</Typography.Text>
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
