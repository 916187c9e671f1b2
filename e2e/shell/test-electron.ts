/**
 * `npm run test:electron`: the shell specs (e2e/shell/) against the real Electron runtime, through
 * Playwright's Electron launcher. Where the runtime is not installed (its binary comes from outside
 * the npm registry), it says it was skipped and why; the same specs run in the harness in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { findElectronRuntime } from '../../electron/hosts/launch.js';
import { ROOT } from '../fixtures.js';

const runtime = await findElectronRuntime(ROOT, { probe: false });
if (!runtime.available) {
  console.log(`test:electron skipped: the Electron runtime is not installed (${runtime.detail}).`);
  console.log('The shell specs ran against the harness instead: npm run test:e2e -- --project=shell');
  process.exit(0);
}
const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// PARLEY_SHELL_RUNTIME tells e2e/shell/launch.ts to start the built app with Electron itself.
const run = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--project=shell'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PARLEY_SHELL_RUNTIME: 'electron', PARLEY_ELECTRON_BINARY: runtime.binary },
});
process.exit(run.status ?? 1);
