import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Card, Flex, Typography, theme } from 'antd';
import type { ReactNode } from 'react';

/** The frame of the screens shown before log-in: product name, then one focused card. */
export function AuthFrame({ title, children, width = 400 }: { title: string; children: ReactNode; width?: number }) {
  const { token } = theme.useToken();
  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: token.colorBgLayout, padding: 24 }}>
      <Flex align="center" gap={10} style={{ marginBottom: 20 }}>
        <SafetyCertificateOutlined style={{ fontSize: 30, color: token.colorPrimary }} />
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            支付中心
          </Typography.Title>
          <Typography.Text type="secondary">餐食关系系统 · 财务后台</Typography.Text>
        </div>
      </Flex>
      <Card title={title} style={{ width, maxWidth: '100%' }}>
        {children}
      </Card>
    </Flex>
  );
}
