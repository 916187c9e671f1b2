/**
 * `npm run screenshots`: the README's pictures, made by the real app. Two Parley instances and the
 * bundled Kamailio (the e2e fixtures), Debian's Chromium, light and dark. Writes docs/screenshots/.
 */
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'screenshots.shot.ts',
  outputDir: '../../test-results/screenshots',
  timeout: 120_000,
  // The pictured user lives where their schedule is kept (screenshots.shot.ts), as most users do.
  use: { ...base.use, timezoneId: 'Europe/Berlin' },
});
