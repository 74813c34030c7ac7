import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { ChannelOutput } from '../../src-main/api/contract';
import { useChannel } from '../app/use-channel';
import { useReportError } from '../app/use-report-error';
import { LoadError } from '../components/LoadError';
import { formatFen } from '../components/money-format';
import { formatTime } from '../components/time-format';
import { printView } from './print-view';
import { PrintOnly } from './PrintOnly';
import './print.css';
import './voucher.css';

type Voucher = ChannelOutput<'vouchers.get'>;

/**
 * 付款凭证 / 退款凭证 (design document 2.4.3: electronic and paper vouchers): numbered, payer and payee with the
 * account masked, the amount in figures and in 大写, purpose, the approvals with names, roles and
 * times, and the signature line. A5 landscape; printed through printView() (webContents.print in the
 * desktop app) and rendered to PDF by the web host's browser for the electronic copy.
 */
export function PaymentVoucher() {
  const { voucherNo = '' } = useParams();
  const navigate = useNavigate();
  const report = useReportError();
  const v = useChannel('vouchers.get', { voucherNo });
  if (v.error) return <LoadError error={v.error} onRetry={v.reload} />;
  if (!v.data) return null;
  return (
    <>
      <Flex justify="space-between" className="no-print" style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
          返回
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => printView().catch(report)} data-testid="print-voucher">
          打印
        </Button>
      </Flex>
      <VoucherSheet v={v.data} />
      <PrintOnly>
        <VoucherSheet v={v.data} forPrint />
      </PrintOnly>
    </>
  );
}

function VoucherSheet({ v, forPrint = false }: { v: Voucher; forPrint?: boolean }) {
  const [printedAt] = useState(() => Date.now());
  // The paper copy carries no test ids: tests read the sheet on screen.
  const tid = (id: string) => (forPrint ? undefined : id);
  const approved = v.approvals.filter((a) => a.decision === '同意');
  // A refund returns a customer's payment the way it came: its own title, its refund and order numbers, 收款人 rather than 收款单位.
  const refund = v.kind === 'refund';
  const date = formatTime(v.issuedAt).slice(0, 10);
  return (
    <div className="print-sheet voucher-sheet" data-kind={v.kind} data-testid={tid('voucher-sheet')}>
      <h1 data-testid={tid('voucher-title')}>{refund ? '退款凭证' : '付款凭证'}</h1>
      <div className="double-rule" />
      <div className="meta">
        <span>
          凭证号：<strong data-testid={tid('voucher-no')}>{v.voucherNo}</strong>
        </span>
        <span>
          {refund ? '退款日期' : '付款日期'}：{date}
        </span>
        <span>业务类型：{v.kindLabel}</span>
        <span>
          {refund ? '退款单号' : '业务单号'}：{v.subjectId}
        </span>
      </div>
      <table>
        <tbody>
          <tr>
            <th>付款单位</th>
            <td colSpan={3}>{v.payerName}</td>
          </tr>
          <tr>
            <th>{refund ? '收款人' : '收款单位'}</th>
            <td>{v.payeeName}</td>
            <th>收款方式</th>
            <td>{v.payeeChannelLabel}</td>
          </tr>
          <tr>
            <th>{refund ? '原付款账户' : '收款账号'}</th>
            <td data-testid={tid('voucher-account')}>{v.payeeAccountMasked || '—'}</td>
            <th>{refund ? '原订单号' : '开户银行'}</th>
            <td data-testid={tid(refund ? 'voucher-order' : 'voucher-bank')}>{refund ? (v.relatedOrderNo ?? '—') : v.payeeBank || '—'}</td>
          </tr>
          <tr>
            <th>金额（大写）</th>
            <td className="capitals" colSpan={2} data-testid={tid('voucher-capitals')}>
              人民币 {v.amountInCapitals}
            </td>
            <td className="figure">{formatFen(v.amountFen)}</td>
          </tr>
          <tr>
            <th>{refund ? '退款事由' : '付款用途'}</th>
            <td colSpan={3}>{v.purpose}</td>
          </tr>
          <tr>
            <th>{refund ? '平台退款单号' : '渠道流水号'}</th>
            <td>{v.referenceNo || '—'}</td>
            <th>{refund ? '退款成功时间' : '付款时间'}</th>
            <td>{formatTime(v.issuedAt)}</td>
          </tr>
        </tbody>
      </table>
      <table className="approvals">
        <thead>
          <tr>
            <th>审批级别</th>
            <th>审批人</th>
            <th>角色</th>
            <th>意见</th>
            <th>审批时间</th>
          </tr>
        </thead>
        <tbody>
          {v.approvals.length ? (
            v.approvals.map((a) => (
              <tr key={`${a.level}-${a.at}`}>
                <td>第 {a.level} 级</td>
                <td>{a.approverName}</td>
                <td>{a.roleName}</td>
                <td>{a.decision}{a.reason ? `（${a.reason}）` : ''}</td>
                <td>{formatTime(a.at)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={5}>无审批记录</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="signatures">
        <span>制单：{v.requesterName ?? ''}</span>
        <span>审批：{approved.map((a) => a.approverName).join('、')}</span>
        <span>出纳：</span>
        <span>收款人：</span>
      </div>
      <div className="foot">
        <span>{refund ? '本凭证由支付中心根据支付平台的退款成功结果生成，付款账户已脱敏。' : '本凭证由支付中心根据支付平台的转账成功结果生成，收款账号已脱敏。'}</span>
        <span>打印时间：{formatTime(printedAt)}</span>
      </div>
    </div>
  );
}
