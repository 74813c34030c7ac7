#!/usr/bin/env node
// Runs before `npm start`. better-sqlite3 is a native module: the copy in node_modules is built for
// Node (tests, tools, the web host), while Electron has its own ABI. Instead of rebuilding in place
// (which would break the tests), we build a second copy for Electron under .electron-native/ and the
// Electron host hands its path to better-sqlite3 as `nativeBinding`. Needs the Electron headers
// (downloaded once by node-gyp from electronjs.org).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '../..');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const source = dirname(require.resolve('better-sqlite3/package.json'));
const target = join(root, '.electron-native', `better-sqlite3-electron-${electronVersion}`);
const binding = join(target, 'build', 'Release', 'better_sqlite3.node');

if (existsSync(binding)) process.exit(0);
console.log(`building better-sqlite3 for Electron ${electronVersion} …`);
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
const r = spawnSync(
  'npx',
  ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
  { cwd: target, stdio: 'inherit' },
);
if (r.status !== 0 || !existsSync(binding)) {
  console.error('could not build better-sqlite3 for Electron; `npm run preview` runs the app in a browser instead');
  process.exit(1);
}
