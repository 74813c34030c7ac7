import { QrcodeOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row } from 'antd';
import { useCallback, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { PageTitle } from '../../components/PageTitle';
import { CashierOrderPicker } from './CashierOrderPicker';
import { CashierPanel } from './CashierPanel';

/**
 * 收款台 (#/cashier, #/cashier/<订单号>): pick a pending order, show the payer the platform's QR code
 * or payment link, and watch the order turn to 已支付. The order sits in the address, so the order
 * detail page's 去收款 opens it directly and a reload keeps it.
 */
export function CashierPage() {
  const { orderNo = '' } = useParams();
  const navigate = useNavigate();
  const [refreshKey, setRefreshKey] = useState(0);
  const settled = useCallback(() => setRefreshKey((k) => k + 1), []);

  return (
    <>
      <PageTitle title="收款台" sub="选择待支付订单，向付款人出示收款码或支付链接，支付结果自动显示" />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10} xxl={9}>
          <CashierOrderPicker selected={orderNo} onPick={(no) => navigate(`/cashier/${no}`)} refreshKey={refreshKey} />
        </Col>
        <Col xs={24} xl={14} xxl={15}>
          {orderNo ? (
            <CashierPanel key={orderNo} orderNo={orderNo} onSettled={settled} />
          ) : (
            <Card style={{ height: '100%' }} styles={{ body: { minHeight: 360, display: 'flex', alignItems: 'center', justifyContent: 'center' } }}>
              <Empty image={<QrcodeOutlined style={{ fontSize: 64, color: '#bfbfbf' }} />} description="请在左侧选择一笔待支付订单，或输入订单号查询" />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
