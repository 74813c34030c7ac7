import { Descriptions, Flex, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { OrderRefunds, Refund } from '../../app/api-types';
import { useVocabulary } from '../../app/vocabulary-context';
import { Money } from '../../components/Money';
import { RefundStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';

/** The order detail's 退款 section: paid, refunded, under way, still refundable, and each refund. */
export function OrderRefundsSection({ summary }: { summary: OrderRefunds }) {
  const v = useVocabulary();
  return (
    <Flex vertical gap={8} data-testid="order-refunds">
      <Descriptions
        size="small"
        column={4}
        items={[
          { key: 'paid', label: '已支付', children: <Money fen={summary.paidFen} /> },
          { key: 'refunded', label: '已退款', children: <Money fen={summary.refundedFen} muteZero /> },
          { key: 'progress', label: '审批中/退款中', children: <Money fen={summary.inProgressFen} muteZero /> },
          { key: 'refundable', label: '可退金额', children: <Money fen={summary.refundableFen} strong /> },
        ]}
      />
      <Table<Refund>
        size="small"
        rowKey="refundNo"
        pagination={false}
        dataSource={summary.refunds}
        locale={{ emptyText: '该订单没有退款' }}
        columns={[
          { title: '退款单号', dataIndex: 'refundNo', width: 210, render: (no: string) => <Link to={`/refunds?refundNo=${no}&detail=${no}`}>{no}</Link> },
          { title: '金额', dataIndex: 'amountFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} /> },
          { title: '状态', dataIndex: 'state', width: 100, render: (s: Refund['state']) => <RefundStatusTag status={s} /> },
          { title: '来源', dataIndex: 'source', width: 130, render: (s: Refund['source']) => v.refundSources[s] },
          { title: '原因', dataIndex: 'reason', render: (r: string, x) => <>{r}{x.failReason ? <Typography.Text type="danger">（{x.failReason}）</Typography.Text> : null}</> },
          { title: '申请时间', dataIndex: 'createdAt', width: 160, render: (t: number) => formatTime(t) },
          { title: '退款成功时间', dataIndex: 'succeededAt', width: 160, render: (t: number | null) => (t ? formatTime(t) : '—') },
        ]}
      />
    </Flex>
  );
}
