#!/usr/bin/env node
// `npm test`: builds the renderer (the e2e suite drives the built app), runs every suite (unit,
// integration on SQLite and MariaDB, e2e in Chromium) in one vitest run, then prints the totals
// as one plain line, `N passed, N failed`, which CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });

const build = run('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
if (build.status !== 0) {
  console.error('renderer build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const tests = run('npx', args);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  // A suite that failed to load counts as a failure even though it ran no test.
  for (const f of r.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed++;
}
if (tests.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(tests.status === 0 && failed === 0 ? 0 : 1);
