import { PrinterOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ChannelOutput } from '../../src-main/api/contract';
import { useChannel } from '../app/use-channel';
import { useVocabulary } from '../app/vocabulary-context';
import { LoadError } from '../components/LoadError';
import { formatFen } from '../components/money-format';
import { formatTime } from '../components/time-format';
import { useReportError } from '../app/use-report-error';
import { printView } from './print-view';
import './print.css';

type Detail = ChannelOutput<'mealbills.get'>;

/**
 * 收款凭据 (and, when one was requested, the 发票申请单) of a meal bill, laid out for A4. Printed with
 * printView(): webContents.print in the desktop app, window.print() in the browser preview.
 */
export function MealBillReceipt() {
  const { billNo = '' } = useParams();
  const detail = useChannel('mealbills.get', { billNo });
  const report = useReportError();
  if (detail.error) return <LoadError error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return null;
  return (
    <>
      <Flex justify="end" className="no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => printView().catch(report)}>
          打印
        </Button>
      </Flex>
      <ReceiptSheet d={detail.data} />
    </>
  );
}

function ReceiptSheet({ d }: { d: Detail }) {
  const v = useVocabulary();
  const [printedAt] = useState(() => Date.now());
  const b = d.bill;
  const paid = b.status === 'paid' && d.order?.status === 'paid';
  return (
    <div className="print-sheet" data-testid="receipt-sheet">
      <h1>{paid ? '收款凭据' : '餐费账单'}</h1>
      <table className="meta">
        <tbody>
          <tr>
            <td>账单号：{b.billNo}</td>
            <td>住宿号：{b.stayNo}</td>
            <td>房间：{b.roomNo}</td>
          </tr>
          <tr>
            <td>客人：{b.guestName || '—'}</td>
            <td>状态：{v.mealBillStatuses[b.status]}</td>
            <td>打印时间：{formatTime(printedAt)}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <thead>
          <tr>
            <th>日期</th>
            <th>餐次</th>
            <th>项目</th>
            <th className="num">数量</th>
            <th className="num">单价</th>
            <th className="num">金额</th>
          </tr>
        </thead>
        <tbody>
          {d.items.map((i) => (
            <tr key={i.lineNo}>
              <td>{i.serviceDate}</td>
              <td>{v.meals[i.meal]}</td>
              <td>{i.description}</td>
              <td className="num">{i.quantity}</td>
              <td className="num">{formatFen(i.unitPriceFen)}</td>
              <td className="num">{formatFen(i.amountFen)}</td>
            </tr>
          ))}
          <tr>
            <td colSpan={5} className="num">
              合计
            </td>
            <td className="num">
              <strong>{formatFen(b.totalFen)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      {d.order ? (
        <p>
          收款订单：{d.order.orderNo} · 支付方式：{v.paymentMethods[d.order.method]} · {paid ? `支付时间：${formatTime(d.order.paidAt)} · 渠道交易号：${d.order.gatewayTradeNo ?? '—'}` : `订单状态：${v.orderStatuses[d.order.status]}`}
          {d.order.amountFen !== b.totalFen ? `（该订单为退房合并结算，合计 ${formatFen(d.order.amountFen)}）` : ''}
        </p>
      ) : null}
      {d.invoice ? (
        <>
          <h1 style={{ fontSize: '14pt', marginTop: '8mm' }}>发票申请单</h1>
          <table>
            <tbody>
              <tr>
                <th>发票类型</th>
                <td>{v.invoiceKinds[d.invoice.kind]}</td>
                <th>抬头类型</th>
                <td>{v.invoiceTitleTypes[d.invoice.titleType]}</td>
              </tr>
              <tr>
                <th>发票抬头</th>
                <td>{d.invoice.title}</td>
                <th>纳税人识别号</th>
                <td>{d.invoice.taxId || '—'}</td>
              </tr>
              <tr>
                <th>{d.invoice.kind === 'electronic' ? '接收邮箱' : '邮寄地址'}</th>
                <td colSpan={3}>{d.invoice.kind === 'electronic' ? d.invoice.email : `${d.invoice.postalAddress} · 收件人：${d.invoice.recipient} · 电话：${d.invoice.phone}`}</td>
              </tr>
              <tr>
                <th>开票金额</th>
                <td>{formatFen(b.totalFen)}</td>
                <th>申请时间</th>
                <td>{formatTime(d.invoice.requestedAt)}</td>
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
      <div className="sign">
        <span>收款人（签章）：</span>
        <span>客人签字：</span>
      </div>
    </div>
  );
}
