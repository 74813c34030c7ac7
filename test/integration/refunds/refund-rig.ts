import type { App } from '../../../src-main/app';
import type { Role } from '../../../src-main/core/access/permissions';
import type { Fen } from '../../../src-main/core/money';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import type { Actor } from '../../../src-main/services/actor';
import type { ApprovalUser } from '../../../src-main/services/approvals/approval-service';
import { ScriptedRefundGateway } from '../../support/scripted-refund-gateway';
import type { TestClock } from '../../support/test-clock';

/** A paid WeChat order, paid at the scripted platform too. */
export async function paidOrder(app: App, fake: ScriptedRefundGateway, amountFen: Fen, payerId = 'WX_o7k2a9'): Promise<string> {
  const clerk: Actor = { id: null, name: '测试' };
  const o = await app.orders.create(clerk, { amountFen, method: 'wechat', type: 'customer_order', relatedId: '', description: '测试订单', payerId });
  await app.orders.confirmPayment(clerk, { orderNo: o.orderNo, amountFen, gatewayTradeNo: `4200${o.orderNo.slice(-8)}`, paidAt: app.clock.now() });
  fake.paid.set(o.orderNo, amountFen);
  return o.orderNo;
}

/** Staff users straight in the store (the approval engine reads their roles and permissions from it). */
export async function staff(app: App, role: Role, username: string, name: string): Promise<ApprovalUser & Actor & { id: number }> {
  const id = await app.store.transaction((tx) => tx.users.insert({ username, displayName: name, passwordHash: 'x', role, createdAt: app.clock.now() }));
  return { id, name, roles: [role] };
}

/** Decides the refund's current approval level through the real engine. */
export async function decide(app: App, refundNo: string, user: ApprovalUser, decision: 'approve' | 'reject' = 'approve', reason?: string) {
  const req = await app.store.read((tx) => tx.approvals.latestOf('refund', refundNo));
  if (!req || req.currentLevel === null) throw new Error(`no pending approval for ${refundNo}`);
  return app.approvals.decide(user, req.id, { decision, level: req.currentLevel, reason });
}

export function scriptedRegistry(clock: TestClock): { fake: ScriptedRefundGateway; registry: GatewayRegistry } {
  const fake = new ScriptedRefundGateway(() => clock.now());
  return { fake, registry: new GatewayRegistry({ wechat: fake }) };
}
