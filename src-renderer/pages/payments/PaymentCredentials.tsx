import { ExportOutlined, MobileOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Typography } from 'antd';
import { PaymentQr } from './PaymentQr';
import { sceneInfo, type StartedPayment } from './payment-labels';

const linkStyle = { fontSize: 12, wordBreak: 'break-all' as const, width: 420, margin: 0, textAlign: 'center' as const, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

/**
 * The text behind a code or button, so it can be copied or opened by hand (the sandbox pay page, a
 * second device). Signed payment-page links run to a thousand characters: two lines and 复制 suffice.
 */
function LinkText({ text }: { text: string }) {
  return (
    <Typography.Paragraph type="secondary" copyable={{ text, tooltips: ['复制链接', '已复制'] }} ellipsis={{ rows: 2 }} style={linkStyle} data-testid="cashier-link">
      {text}
    </Typography.Paragraph>
  );
}

/**
 * What the payer needs to pay, as the platform returned it: a QR code to scan, a payment page to
 * open (with a QR code as well for the phone-browser scene), or the state of a bank quick payment.
 */
export function PaymentCredentials({ started }: { started: StartedPayment }) {
  const info = sceneInfo(started.scene);
  const r = started.result;
  if (r.kind === 'qr')
    return (
      <Flex vertical align="center" gap={8}>
        <PaymentQr content={r.codeUrl} data-testid="cashier-qr" />
        <Typography.Text strong>{info?.hint}</Typography.Text>
        <LinkText text={r.codeUrl} />
        {started.sandboxPayLink && (
          <Button icon={<ExportOutlined />} href={started.sandboxPayLink} target="_blank" rel="noreferrer" data-testid="cashier-sandbox-pay">
            在支付平台模拟器中付款（沙箱）
          </Button>
        )}
      </Flex>
    );
  if (r.kind === 'redirect')
    return (
      <Flex vertical align="center" gap={10} data-testid="cashier-redirect">
        {started.scene === 'alipay_wap' ? (
          <>
            {/* A signed page link makes a dense code: drawn larger so a phone still reads it off the screen. */}
            <PaymentQr content={r.url} size={280} data-testid="cashier-qr" />
            <Typography.Text strong>
              <MobileOutlined /> {info?.hint}
            </Typography.Text>
          </>
        ) : (
          <Typography.Text>{info?.hint}</Typography.Text>
        )}
        <Button type={started.scene === 'alipay_wap' ? 'default' : 'primary'} size="large" icon={<ExportOutlined />} href={r.url} target="_blank" rel="noreferrer" data-testid="cashier-open-link">
          打开支付页面
        </Button>
        <LinkText text={r.url} />
      </Flex>
    );
  if (r.kind === 'bank_quick')
    return (
      <Alert
        type="info"
        showIcon
        title="已向银行发起快捷支付"
        description={
          <>
            银行已向持卡人预留手机发送短信验证码，持卡人确认后即完成扣款。银行交易号 <Typography.Text copyable>{r.platformTradeNo}</Typography.Text>
          </>
        }
      />
    );
  return <Alert type="info" showIcon title="已生成小程序支付参数" description={`预支付交易会话 ${r.prepayId}：请付款人在小程序内完成支付。`} />;
}
