import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { DEFAULT_ROLE_PERMISSIONS, type Permission, type Role } from '../../src-main/core/access/permissions';
import { isDomainError } from '../../src-main/core/errors';
import type { ApprovalUser } from '../../src-main/services/approvals/approval-service';
import { approverUser, asActor, registerTestSubjects, type TestApprovalSubject } from '../support/approval-subject';
import { STORE_KINDS, testApp } from '../support/stores';

/**
 * Random sequences of approve / reject / withdraw (some of them racing) by random users — requesters,
 * people of every role, stale screens — never approve a request without as many distinct
 * non-requester approvers as it has levels, each holding that level's role and the per-type
 * permission; and the business hears exactly one outcome, matching the request's status.
 */
const TYPES = ['refund', 'supplier_payment', 'payout_batch'] as const;
// Around every default threshold (fen).
const AMOUNTS = [1, 500_000, 500_001, 1_000_000, 1_000_001, 5_000_000, 5_000_001, 10_000_000, 10_000_001];

// `user` null: someone who may decide now (so that multi-level approvals are reached), else anyone.
const who = fc.option(fc.nat(20), { nil: null, freq: 2 });
const op = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('decide' as const), user: who, req: fc.nat(10), approve: fc.constantFrom(true, true, true, false), levelShift: fc.constantFrom(0, 0, 0, -1, 1) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('race' as const), users: fc.tuple(who, who), req: fc.nat(10), approve: fc.tuple(fc.boolean(), fc.boolean()) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('withdraw' as const), user: fc.nat(20), req: fc.nat(10) }), weight: 1 },
);

const scenario = fc.record({
  requests: fc.array(fc.record({ type: fc.constantFrom(...TYPES), amount: fc.constantFrom(...AMOUNTS), requester: fc.nat(20) }), { minLength: 1, maxLength: 3 }),
  ops: fc.array(op, { minLength: 1, maxLength: 25 }),
});

describe.each(STORE_KINDS)('approval invariants under random decisions on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let subjects: Record<(typeof TYPES)[number], TestApprovalSubject>;
  let run = 0;
  const roleOf = new Map<number, Role>();
  const people: (ApprovalUser | null)[] = [];

  beforeAll(async () => {
    ({ app, close } = await testApp(kind));
    subjects = registerTestSubjects(app);
    for (const role of ['accountant', 'accountant', 'accountant', 'approver', 'approver', 'admin', 'admin', 'auditor', 'cashier'] as const) {
      const u = approverUser(role);
      roleOf.set(u.id, role);
      people.push(u);
    }
    people.push(null); // a customer through the REST API (as requester only)
  });
  afterAll(() => close());

  const person = (n: number) => people[n % people.length] ?? null;
  const staff = (n: number) => person(n) ?? people[0]!;

  it('no request is approved without N distinct non-requester approvers holding the levels’ roles', async () => {
    const seen = { approved: 0, rejected: 0, cancelled: 0, pending: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        const reqs: { id: number; type: (typeof TYPES)[number]; subjectId: string; requesterId: number | null }[] = [];
        for (const [i, r] of s.requests.entries()) {
          const requester = person(r.requester);
          const subjectId = `P${run}-${i}`;
          const id = await subjects[r.type].submit(subjectId, r.amount, requester ? asActor(requester) : { id: null, name: '客户' });
          reqs.push({ id, type: r.type, subjectId, requesterId: requester?.id ?? null });
        }
        const tolerate = async (p: Promise<unknown>) => {
          try {
            await p;
          } catch (e) {
            if (!isDomainError(e)) throw e;
          }
        };
        for (const o of s.ops) {
          const req = reqs[o.req % reqs.length]!;
          if (o.kind === 'withdraw') {
            await tolerate(app.approvals.withdraw(asActor(staff(o.user)), req.id));
            continue;
          }
          const seenNow = await app.approvals.get(staff(0), req.id);
          const now = seenNow.request.currentLevel ?? 1;
          // Someone the engine should accept now (if anybody): holds the current role, not the requester, no level yet.
          const fit = (k: number) => {
            const done = new Set(seenNow.history.filter((h) => h.decision !== 'comment').map((h) => h.approverId));
            const ok = people.filter((p): p is ApprovalUser => p !== null && p.roles[0] === seenNow.request.currentRole && p.id !== req.requesterId && !done.has(p.id));
            return ok[k % Math.max(1, ok.length)] ?? staff(k);
          };
          const choose = (n: number | null, k: number) => (n === null ? fit(k) : staff(n));
          if (o.kind === 'decide') {
            await tolerate(app.approvals.decide(choose(o.user, 0), req.id, { decision: o.approve ? 'approve' : 'reject', reason: o.approve ? null : '不符合', level: Math.max(1, now + o.levelShift) }));
          } else {
            await Promise.all(
              o.users.map((u, k) => tolerate(app.approvals.decide(choose(u, k), req.id, { decision: o.approve[k] ? 'approve' : 'reject', reason: '竞争', level: now }))),
            );
          }
        }
        for (const r of reqs) {
          const d = await app.approvals.get(staff(0), r.id);
          const decisions = d.history.filter((h) => h.decision !== 'comment');
          const levels = d.request.levels;
          // Every decision, whatever the outcome: by a staff member who is not the requester, in level order, holding the level's role and the type's permission.
          expect(decisions.map((x) => x.level)).toEqual(decisions.map((_, i) => i + 1));
          expect(new Set(decisions.map((x) => x.approverId)).size).toBe(decisions.length);
          for (const x of decisions) {
            expect(x.approverId).not.toBe(r.requesterId);
            const role = roleOf.get(x.approverId)!;
            expect(role).toBe(levels[x.level! - 1]);
            expect(x.approverRole).toBe(role);
            expect((DEFAULT_ROLE_PERMISSIONS[role] as readonly Permission[]).includes(`approval:${r.type}`)).toBe(true);
          }
          const approvals = decisions.filter((x) => x.decision === 'approve').length;
          const outcomes = await subjects[r.type].outcomes(r.subjectId);
          seen[d.request.status]++;
          if (d.request.status === 'approved') {
            expect(approvals).toBe(levels.length);
            expect(decisions).toHaveLength(levels.length);
            expect(outcomes).toEqual(['approved']);
          } else {
            expect(approvals).toBeLessThan(levels.length);
            expect(outcomes).toEqual(d.request.status === 'pending' ? [] : [d.request.status]);
          }
        }
      }),
      { numRuns: kind === 'sqlite' ? 40 : 12 },
    );
    // The scenarios do reach every end state, multi-level approvals included (not only refusals).
    expect(seen.approved).toBeGreaterThan(0);
    expect(seen.rejected + seen.cancelled).toBeGreaterThan(0);
  });
});
