/** The vocabulary of payment orders (design document 4.1, 6.1). Labels are what the UI shows. */
export const PAYMENT_METHODS = ['wechat', 'alipay', 'bank'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  wechat: '微信支付',
  alipay: '支付宝',
  bank: '银行卡',
};

export const ORDER_TYPES = ['customer_order', 'meal_bill', 'salary', 'supplier_payment'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const ORDER_TYPE_LABELS: Record<OrderType, string> = {
  customer_order: '客户预定定金',
  meal_bill: '餐费账单',
  salary: '员工薪资',
  supplier_payment: '供应商付款',
};

export const ORDER_STATUSES = ['pending', 'paid', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending: '待支付',
  paid: '已支付',
  cancelled: '已取消',
  refunded: '已退款',
};

export const CANCEL_REASONS = ['user', 'admin', 'expired'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
export const CANCEL_REASON_LABELS: Record<CancelReason, string> = {
  user: '用户取消',
  admin: '管理员取消',
  expired: '超时自动取消',
};
