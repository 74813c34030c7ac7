import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Table, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { SensitiveValue } from '../../components/SensitiveValue';
import { formatTime } from '../../components/time-format';
import { InvoiceRequestModal } from './InvoiceRequestModal';
import { MealBillStatusTags } from './meal-bill-tags';
import { AddItemsModal, PayMethodModal } from './MealBillModals';

type Item = ChannelOutput<'mealbills.get'>['items'][number];

/** One meal bill: its items, payment, invoice request and printable receipt. */
export function MealBillDetailPage() {
  const { billNo = '' } = useParams();
  const v = useVocabulary();
  const navigate = useNavigate();
  const report = useReportError();
  const detail = useChannel('mealbills.get', { billNo });
  const [dialog, setDialog] = useState<'items' | 'pay' | 'invoice' | null>(null);
  const d = detail.data;
  const close = () => setDialog(null);
  const done = () => { setDialog(null); detail.reload(); };
  // The full number comes only from sensitive.reveal, which records who looked at it.
  const revealPhone = useCallback(async () => (await call('sensitive.reveal', { entityType: 'meal_bill', entityId: billNo, field: 'invoicePhone' })).value, [billNo]);

  const columns: TableColumnsType<Item> = [
    { title: '行', dataIndex: 'lineNo', width: 50 },
    { title: '日期', dataIndex: 'serviceDate', width: 110 },
    { title: '餐次', dataIndex: 'meal', width: 70, render: (m: Item['meal']) => v.meals[m] },
    { title: '项目', dataIndex: 'description' },
    { title: '数量', dataIndex: 'quantity', align: 'right', width: 70 },
    { title: '单价', dataIndex: 'unitPriceFen', align: 'right', width: 110, render: (f: number) => <Money fen={f} /> },
    { title: '金额', dataIndex: 'amountFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} /> },
  ];

  const pay = async (method: 'wechat' | 'alipay' | 'bank') => {
    try {
      const order = await call('mealbills.pay', { billNo, method });
      navigate(`/cashier/${order.orderNo}`);
    } catch (e) {
      report(e);
      throw e;
    }
  };

  if (detail.error) return <LoadError error={detail.error} onRetry={detail.reload} />;
  if (!d) return null;
  const b = d.bill;
  const open = b.status === 'open';
  return (
    <>
      <PageTitle
        title={`餐费账单 ${b.billNo}`}
        extra={
          <>
            {open && !b.orderNo ? <Button onClick={() => setDialog('items')}>添加明细</Button> : null}
            {open ? <Button type="primary" onClick={() => (b.orderNo ? navigate(`/cashier/${b.orderNo}`) : setDialog('pay'))} data-testid="pay-bill">{b.orderNo ? '去收款台' : '收款'}</Button> : null}
            {b.status !== 'cancelled' && !d.invoice ? <Button onClick={() => setDialog('invoice')} data-testid="request-invoice">申请发票</Button> : null}
            <Link to={`/meal-bills/${b.billNo}/print`}><Button icon={<PrinterOutlined />}>打印凭据</Button></Link>
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={3} items={[
          { label: '住宿号', children: b.stayNo }, { label: '房间', children: b.roomNo }, { label: '客人', children: b.guestName || '—' },
          { label: '状态', children: <MealBillStatusTags bill={b} /> }, { label: '合计', children: <Money fen={b.totalFen} strong /> },
          { label: '应付截止', children: b.dueAt ? formatTime(b.dueAt) : '—' },
          { label: '收款订单', children: b.orderNo ? <Link to={`/orders/${b.orderNo}`}>{b.orderNo}</Link> : '—' },
          { label: '支付时间', children: formatTime(b.paidAt) }, { label: '创建时间', children: formatTime(b.createdAt) },
        ]} />
      </Card>
      <Table<Item> size="small" rowKey="lineNo" columns={columns} dataSource={d.items} pagination={false} data-testid="bill-items"
        summary={() => (<Table.Summary.Row><Table.Summary.Cell index={0} colSpan={6} align="right">合计</Table.Summary.Cell><Table.Summary.Cell index={1} align="right"><Money fen={b.totalFen} strong /></Table.Summary.Cell></Table.Summary.Row>)} />
      {d.invoice ? (
        <Card size="small" title="发票申请" style={{ marginTop: 12 }} data-testid="invoice-card">
          <Descriptions size="small" column={2} items={[
            { label: '发票类型', children: v.invoiceKinds[d.invoice.kind] }, { label: '状态', children: v.invoiceStatuses[d.invoice.status] },
            { label: '抬头', children: d.invoice.title }, { label: '纳税人识别号', children: d.invoice.taxId || '—' },
            ...(d.invoice.kind === 'electronic'
              ? [{ label: '接收邮箱', children: d.invoice.email }]
              : [{ label: '邮寄地址', children: d.invoice.postalAddress }, { label: '收件人', children: d.invoice.recipient }]),
            ...(d.invoice.phone ? [{ label: '收件人电话', children: <SensitiveValue masked={d.invoice.phone} label="收件人电话" reveal={revealPhone} /> }] : []),
            { label: '申请时间', children: formatTime(d.invoice.requestedAt) },
          ]} />
        </Card>
      ) : null}
      <AddItemsModal open={dialog === 'items'} billNo={b.billNo} version={b.version} onClose={close} onDone={done} />
      <PayMethodModal open={dialog === 'pay'} title={`账单 ${b.billNo} 收款`} okText="生成收款订单" onClose={close} onPick={pay} />
      <InvoiceRequestModal open={dialog === 'invoice'} billNo={b.billNo} onClose={close} onDone={done} />
    </>
  );
}
