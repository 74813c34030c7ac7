import { defineConfig } from 'vitest/config';

/**
 * Three suites: unit (pure core, fast), integration (services on SQLite and MariaDB), e2e (the real
 * renderer in Debian Chromium through the web host). `npm test` runs them all via test/run-all.mjs.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // A screen answers within a second on an idle machine; CI shares 2 cores, so polls wait longer before failing.
          expect: { poll: { timeout: 5_000 } },
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
