/**
 * How audit records read to an accountant: the action codes the services write, the kinds of
 * object, and the field names inside before/after snapshots. Served to the renderer through
 * `meta.vocabulary`, so a new action gets its words where it is written.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'order.create': '创建订单',
  'order.cancel': '取消订单',
  'order.expire': '超时自动取消',
  'order.pay': '支付成功',
  'user.create': '创建用户',
  'user.update': '修改用户',
  'user.password': '设置密码',
  'settings.update': '修改系统设置',
  'access.denied': '越权访问被拒绝',
  'demo.seed': '生成演示数据',
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  order: '支付订单',
  user: '用户',
  settings: '系统设置',
  channel: '接口',
  demo: '演示数据',
};

export const AUDIT_FIELD_LABELS: Record<string, string> = {
  orderNo: '订单号',
  amountFen: '金额',
  paidFen: '已支付',
  refundedFen: '已退款',
  method: '支付方式',
  type: '订单类型',
  status: '状态',
  relatedId: '关联ID',
  description: '订单描述',
  payerId: '付款人',
  createdBy: '创建人ID',
  createdAt: '创建时间',
  expireAt: '支付时限',
  paidAt: '支付时间',
  cancelledAt: '取消时间',
  cancelReason: '取消原因',
  gatewayTradeNo: '渠道交易号',
  id: '用户ID',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  active: '启用',
  expiryMinutes: '支付时限',
  maxOrderAmountFen: '单笔上限',
};
