import { CreditCardOutlined, LinkOutlined, LoadingOutlined, QrcodeOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Radio, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { call, type ApiCallError } from '../../app/api';
import type { Order } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { asApiError } from '../../app/errors';
import { useVocabulary } from '../../app/vocabulary-context';
import { PaymentCredentials } from './PaymentCredentials';
import { SCENES_BY_METHOD, type PayScene, type SceneInfo, type StartedPayment } from './payment-labels';
import type { PaymentSync } from './use-payment-watch';

type PlatformState = PaymentSync['platformState'];

const PLATFORM_STATE_NOTES: Partial<Record<NonNullable<PlatformState>, string>> = {
  closed: '支付平台已关闭此笔交易，付款人无法再支付',
  failed: '付款人支付失败，可请其重新扫码或换一种方式支付',
};

function startAction(s: SceneInfo): { label: string; icon: ReactNode } {
  if (s.needsCardToken) return { label: '发起扣款', icon: <CreditCardOutlined /> };
  if (s.scene === 'alipay_page' || s.scene === 'bank_online') return { label: '生成支付链接', icon: <LinkOutlined /> };
  return { label: '生成收款码', icon: <QrcodeOutlined /> };
}

interface CashierCollectProps {
  order: Order;
  platformState: PlatformState;
  syncError: ApiCallError | null;
}

/**
 * Choosing how the payer pays and asking the platform for it (payments.start). Asking again for the
 * same scene is safe: the platform trade is created once and the same code is returned.
 */
export function CashierCollect({ order, platformState, syncError }: CashierCollectProps) {
  const { expire } = useAuth();
  const v = useVocabulary();
  const scenes = SCENES_BY_METHOD[order.method];
  const [scene, setScene] = useState<PayScene | undefined>(() => scenes.find((s) => !s.notAtDesk)?.scene);
  const [cardToken, setCardToken] = useState('');
  const [started, setStarted] = useState<StartedPayment | null>(null);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);
  const info = scenes.find((s) => s.scene === scene);
  const shown = started && started.scene === scene ? started : null;

  const start = async () => {
    if (!info) return;
    setBusy(true);
    setError(null);
    try {
      setStarted(await call('payments.start', { orderNo: order.orderNo, scene: info.scene, bankCardToken: info.needsCardToken ? cardToken.trim() : undefined }));
    } catch (e) {
      const err = asApiError(e);
      if (err.code === 'UNAUTHENTICATED') expire();
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Flex vertical gap={8}>
        <Typography.Text strong>支付场景</Typography.Text>
        <Radio.Group
          data-testid="cashier-scene"
          optionType="button"
          buttonStyle="solid"
          value={scene}
          onChange={(e) => {
            setScene(e.target.value as PayScene);
            setError(null);
          }}
          options={scenes.map((s) => ({
            value: s.scene,
            disabled: !!s.notAtDesk,
            label: s.notAtDesk ? <Tooltip title={s.notAtDesk}>{s.label}（不适用）</Tooltip> : s.label,
          }))}
        />
        {/* Once the code is shown, the same words stand under it, for the payer. */}
        {info && !shown ? <Typography.Text type="secondary">{info.hint}</Typography.Text> : null}
        {info?.needsCardToken ? (
          <Flex align="center" gap={8}>
            <label htmlFor="cashier-card-token">绑卡协议号</label>
            <Input
              id="cashier-card-token"
              placeholder="付款人绑定银行卡时银行返回的协议号"
              value={cardToken}
              onChange={(e) => setCardToken(e.target.value)}
              style={{ maxWidth: 360 }}
              data-testid="cashier-card-token"
            />
          </Flex>
        ) : null}
      </Flex>

      {info && !shown ? (
        <div>
          <Button type="primary" size="large" icon={startAction(info).icon} loading={busy} disabled={info.needsCardToken && !cardToken.trim()} onClick={() => void start()} data-testid="cashier-start">
            {startAction(info).label}
          </Button>
        </div>
      ) : null}

      {error ? (
        <Alert
          type="error"
          showIcon
          data-testid="cashier-error"
          title={error.code === 'CHANNEL_NOT_CONFIGURED' ? `${v.paymentMethods[order.method]}渠道尚未配置，暂时无法收款` : '发起收款失败'}
          description={
            error.code === 'CHANNEL_NOT_CONFIGURED'
              ? `请管理员在「支付渠道配置」中配置${v.paymentMethods[order.method]}的商户参数后再收款，或请付款人改用其他支付方式重新下单。（${error.message}）`
              : error.message
          }
        />
      ) : null}

      {shown ? <PaymentCredentials started={shown} /> : null}

      <CollectStatus waiting={!!shown} platformState={platformState} syncError={syncError} />
    </Flex>
  );
}

/** The live line under the code: what the platform says, and whether the last check worked. */
function CollectStatus({ waiting, platformState, syncError }: { waiting: boolean; platformState: PlatformState; syncError: ApiCallError | null }) {
  const note = platformState ? PLATFORM_STATE_NOTES[platformState] : undefined;
  const text = note ?? (waiting ? '等待付款人支付…　支付完成后此处自动显示结果' : platformState ? '此订单已向支付平台发起过收款，可再次出示收款码或支付链接' : '尚未发起收款');
  return (
    <Flex vertical gap={4} data-testid="cashier-status" data-status="pending" data-platform-state={platformState ?? 'none'} style={{ padding: '10px 12px', background: '#fafafa', borderRadius: 6 }}>
      <Typography.Text type={note ? 'warning' : waiting ? undefined : 'secondary'}>
        {waiting && !note ? <LoadingOutlined style={{ marginInlineEnd: 8 }} /> : null}
        {text}
      </Typography.Text>
      {syncError ? (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          <WarningOutlined /> 查询支付结果失败：{syncError.message}（将自动重试）
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          每 2 秒自动向支付平台查询一次支付结果
        </Typography.Text>
      )}
    </Flex>
  );
}
