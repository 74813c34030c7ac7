import { DomainError } from '../errors';
import { checkFen, MAX_FEN, type Fen } from '../money';

/**
 * 餐费账单 (design document 2.2): an itemized bill for a stay. open → paid (its payment order was
 * paid, alone or together with the stay's other bills at checkout) | cancelled (voided by staff
 * before payment). Line amounts and the total are computed here, never taken from a form.
 */
export const MEALS = ['breakfast', 'lunch', 'dinner', 'snack'] as const;
export type Meal = (typeof MEALS)[number];
export const MEAL_LABELS: Record<Meal, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐', snack: '加餐' };

export const MEAL_BILL_STATUSES = ['open', 'paid', 'cancelled'] as const;
export type MealBillStatus = (typeof MEAL_BILL_STATUSES)[number];
export const MEAL_BILL_STATUS_LABELS: Record<MealBillStatus, string> = { open: '待结算', paid: '已支付', cancelled: '已作废' };

export const MAX_QUANTITY = 999;
export const MAX_ITEMS_PER_BILL = 200;

export interface MealBillItemInput {
  serviceDate: string;
  meal: Meal;
  description: string;
  quantity: number;
  unitPriceFen: Fen;
}

export interface MealBillItem extends MealBillItemInput {
  lineNo: number;
  amountFen: Fen;
}

export interface MealBill {
  billNo: string;
  stayNo: string;
  roomNo: string;
  payerId: string;
  guestName: string;
  status: MealBillStatus;
  totalFen: Fen;
  orderNo: string | null;
  dueAt: number | null;
  createdBy: number | null;
  createdAt: number;
  paidAt: number | null;
  cancelledAt: number | null;
  version: number;
}

export function lineAmountFen(quantity: number, unitPriceFen: Fen): Fen {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new DomainError('QUANTITY_INVALID', `数量必须是 1 到 ${MAX_QUANTITY} 的整数`);
  checkFen(unitPriceFen);
  return checkFen(quantity * unitPriceFen);
}

/** Sum of line amounts; refuses a total past the money ceiling rather than overflow. */
export function billTotalFen(items: readonly Pick<MealBillItem, 'amountFen'>[]): Fen {
  let total = 0;
  for (const i of items) {
    total += i.amountFen;
    if (total > MAX_FEN) throw new DomainError('AMOUNT_TOO_LARGE', '账单金额超过上限');
  }
  return total;
}

/** A stored total that disagrees with its items means the bill was written around the service. */
export function assertTotalMatches(bill: Pick<MealBill, 'billNo' | 'totalFen'>, items: readonly MealBillItem[]): void {
  for (const i of items) if (i.amountFen !== i.quantity * i.unitPriceFen) throw new DomainError('BILL_INCONSISTENT', `账单 ${bill.billNo} 第 ${i.lineNo} 行金额与数量×单价不符`);
  if (billTotalFen(items) !== bill.totalFen) throw new DomainError('BILL_INCONSISTENT', `账单 ${bill.billNo} 合计与明细不符`);
}

export function numberItems(existing: number, inputs: readonly MealBillItemInput[]): MealBillItem[] {
  if (inputs.length === 0) throw new DomainError('ITEMS_EMPTY', '请至少添加一条消费明细');
  if (existing + inputs.length > MAX_ITEMS_PER_BILL) throw new DomainError('ITEMS_TOO_MANY', `一张账单最多 ${MAX_ITEMS_PER_BILL} 条明细`);
  return inputs.map((i, k) => ({ ...i, lineNo: existing + k + 1, amountFen: lineAmountFen(i.quantity, i.unitPriceFen) }));
}

export function assertBillOpen(bill: Pick<MealBill, 'billNo' | 'status'>): void {
  if (bill.status === 'paid') throw new DomainError('BILL_PAID', `账单 ${bill.billNo} 已支付`);
  if (bill.status === 'cancelled') throw new DomainError('BILL_CANCELLED', `账单 ${bill.billNo} 已作废`);
}
