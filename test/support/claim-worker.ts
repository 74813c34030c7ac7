// A second server process for the work-claim test: opens the given store and closes overdue orders
// in small claims until none are left, then prints what it claimed as JSON.
import { openApp } from '../../src-main/app';
import { TEST_AUDIT_KEY } from './stores';

async function main(): Promise<void> {
  const [url, workerId] = process.argv.slice(2);
  const app = await openApp({ store: { kind: 'mysql', url: url! }, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, workerId });
  const claimed: string[] = [];
  for (;;) {
    const r = await app.payments.closeOverdue(3);
    if (!r.claimed.length) break;
    claimed.push(...r.claimed);
  }
  await app.close();
  process.stdout.write(JSON.stringify(claimed));
}

void main();
