/**
 * End-to-end tests: real Kamailio, real Parley cores, the real browser host, Debian's Chromium.
 * Run with `npm run test:e2e` (builds the renderer first). Browsers cannot be downloaded here,
 * so Playwright drives /usr/bin/chromium (PARLEY_CHROMIUM overrides the path). The `shell` project
 * runs the Electron shell's own code in a harness (e2e/shell/), its windows as Chromium pages.
 */
import { defineConfig } from '@playwright/test';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    viewport: { width: 1100, height: 720 },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The renderer served by the browser host.
    { name: 'browser-host', testIgnore: 'shell/**' },
    // The real Electron shell (electron/main) with its windows as Chromium pages: e2e/shell/.
    { name: 'shell', testMatch: 'shell/**/*.spec.ts' },
  ],
});
