/**
 * Fixtures for the shell specs: the e2e fixtures (Kamailio, registered peers) plus `launch`, which
 * starts the real Electron shell in the harness (launch.ts) on a data folder of the test's own.
 * Every launch is quit and its folders removed when the test ends, failed or not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { RunningServer } from '../../server/kamailio.js';
import { expect, fillAccount, PASSWORD, test as base } from '../fixtures.js';
import { launchShell, type ShellLaunch } from './launch.js';

export interface LaunchOptions {
  /** Reuse the data folder of an earlier launch (a relaunch, a second instance). */
  userData?: string;
  argv?: string[];
}

interface ShellFixtures {
  launch: (options?: LaunchOptions) => Promise<ShellLaunch & { userData: string; downloads: string }>;
}

export const test = base.extend<ShellFixtures>({
  launch: async ({ browser }, use) => {
    const launches: ShellLaunch[] = [];
    const folders: string[] = [];
    await use(async (options = {}) => {
      const userData = options.userData ?? (await mkdtemp(path.join(os.tmpdir(), 'parley-shell-')));
      const downloads = await mkdtemp(path.join(os.tmpdir(), 'parley-shell-downloads-'));
      if (!options.userData) folders.push(userData);
      folders.push(downloads);
      const launched = await launchShell({ browser, userData, downloads, ...(options.argv ? { argv: options.argv } : {}) });
      launches.push(launched);
      return Object.assign(launched, { userData, downloads });
    });
    for (const launched of launches.reverse()) await launched.dispose();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  },
});

/** Sign the shell's main window in as alice at the test's Kamailio. */
export async function signInShell(page: Page, sip: RunningServer): Promise<void> {
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });
  await expect(page.getByTestId('registration-state')).toHaveText('Registered');
}

export { expect };
