/**
 * Fixtures that start real parts, each on free ports under a temporary directory:
 *   sip      (worker) Kamailio with digest auth and the users alice, bob and dora (password "secret");
 *            dora is kept for the one spec that needs a watcher no earlier spec left at the server
 *   parley   (test)   a Parley core (createParley) served by the browser host on 127.0.0.1
 *   peer     (test)   factory for more Parley cores driven through their commands (e.g. bob)
 *   uiPeer   (test)   factory for a second Parley with its own browser host and page (e.g. bob's UI)
 *   app      (test)   a page logged in through the printed URL, with page errors collected
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { createParley } from '../electron/hosts/compose.js';
import { startBrowserHost, type BrowserHost } from '../electron/hosts/browser/server.js';
import type { Core } from '../electron/core/core.js';
import { silentLogger } from '../electron/support/logger.js';
import type { RegistrationState, SequencedEvent } from '../shared/ipc.js';
import { startKamailio, type RunningServer } from '../server/kamailio.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STATIC_DIR = path.join(ROOT, 'dist', 'renderer');
export const PASSWORD = 'secret';

export interface ParleyUnderTest {
  core: Core;
  /** The running browser host (replaced by restartHost). */
  host: BrowserHost;
  /** Close the browser host and start it again on the same port with the same token. */
  restartHost(): Promise<void>;
  /** Close the browser host only (the core keeps running). */
  stopHost(): Promise<void>;
  /**
   * Quit the app and start it again on the same data folder: the host and the core stop, a new
   * core and a new browser host start (on a new port, as a relaunch does). `url` and `origin` change.
   */
  restartApp(): Promise<void>;
  /** The URL printed at start (with the token). */
  url: string;
  /** http://127.0.0.1:port */
  origin: string;
  /** Every event the core emitted, in order. */
  events: SequencedEvent[];
  /** The core's data folder. */
  dataDir: string;
}

export interface Peer {
  core: Core;
  aor: string;
  events: SequencedEvent[];
  /** Resolves with the first event (already seen or future) matching `match`. */
  waitFor<T extends SequencedEvent>(match: (event: SequencedEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (event: SequencedEvent) => boolean, timeoutMs?: number): Promise<SequencedEvent>;
}

/** A second Parley with its own browser host and its own page (a separate browser context). */
export interface UiPeer extends Peer {
  page: Page;
  url: string;
  /** Errors thrown in that page or printed to its console. */
  pageErrors: string[];
}

interface Fixtures {
  parley: ParleyUnderTest;
  /** Start another Parley core registered at the SIP server as `user`. */
  registeredPeer: (user: string, password?: string) => Promise<Peer>;
  /** Start another Parley registered as `user`, served to its own page, loaded and ready. */
  uiPeer: (user: string) => Promise<UiPeer>;
  /** Where most chat specs start: bob registered with a Parley core of his own, then alice signed in on the page. */
  signedInWithBob: Peer;
  /** Errors thrown in the page or printed to its console (CSP violations land here). */
  pageErrors: string[];
}

interface WorkerFixtures {
  sip: RunningServer;
}

async function tempDir(name: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `parley-e2e-${name}-`));
}

function recordEvents(core: Core): { events: SequencedEvent[]; waitFor: Peer['waitFor'] } {
  const events: SequencedEvent[] = [];
  const waiters = new Set<(event: SequencedEvent) => void>();
  core.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter(event);
  });
  const waitFor = ((match: (event: SequencedEvent) => boolean, timeoutMs = 20_000) =>
    new Promise<SequencedEvent>((resolve, reject) => {
      const seen = events.find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching event within ${timeoutMs} ms; saw: ${events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      const waiter = (event: SequencedEvent) => {
        if (!match(event)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(event);
      };
      waiters.add(waiter);
    })) as Peer['waitFor'];
  return { events, waitFor };
}

export const isRegistration = (state: RegistrationState['state']) => (event: SequencedEvent) =>
  event.type === 'registration' && event.state === state;

export const test = base.extend<Fixtures, WorkerFixtures>({
  sip: [
    // Playwright reads fixture dependencies from the destructuring pattern, so it must stay.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startKamailio({
        auth: true,
        users: [
          { user: 'alice', password: PASSWORD },
          { user: 'bob', password: PASSWORD },
          { user: 'dora', password: PASSWORD },
        ],
      });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  // eslint-disable-next-line no-empty-pattern
  parley: async ({}, use) => {
    if (!existsSync(path.join(STATIC_DIR, 'index.html'))) {
      throw new Error(`no built renderer in ${STATIC_DIR}: run "npm run build:renderer" first (npm run test:e2e does)`);
    }
    const dataDir = await tempDir('ui');
    const core = await createParley({ dataDir, listen: '127.0.0.1:0', logger: silentLogger });
    const { events } = recordEvents(core);
    const first = await startBrowserHost({ core, host: '127.0.0.1', staticDir: STATIC_DIR });
    const parley: ParleyUnderTest = {
      core,
      host: first,
      url: first.url,
      origin: `http://127.0.0.1:${first.port}`,
      events,
      dataDir,
      stopHost: () => parley.host.close(),
      async restartHost() {
        await parley.host.close();
        parley.host = await startBrowserHost({
          core: parley.core,
          host: '127.0.0.1',
          port: first.port,
          token: first.token,
          staticDir: STATIC_DIR,
        });
      },
      async restartApp() {
        await parley.host.close();
        await parley.core.stop();
        parley.core = await createParley({ dataDir, listen: '127.0.0.1:0', logger: silentLogger });
        parley.core.subscribe((event) => events.push(event));
        parley.host = await startBrowserHost({ core: parley.core, host: '127.0.0.1', staticDir: STATIC_DIR });
        parley.url = parley.host.url;
        parley.origin = `http://127.0.0.1:${parley.host.port}`;
      },
    };
    try {
      await use(parley);
    } finally {
      await parley.host.close();
      await parley.core.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },

  registeredPeer: async ({ sip }, use) => {
    const started: { core: Core; dataDir: string }[] = [];
    await use(async (user, password = PASSWORD) => {
      const peer = await startRegisteredCore(sip, user, password);
      started.push(peer);
      return peer;
    });
    for (const { core, dataDir } of started) {
      await core.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },

  uiPeer: async ({ sip, browser }, use) => {
    const started: { core: Core; dataDir: string; host: BrowserHost; close: () => Promise<void> }[] = [];
    await use(async (user) => {
      const peer = await startRegisteredCore(sip, user, PASSWORD);
      const host = await startBrowserHost({ core: peer.core, host: '127.0.0.1', staticDir: STATIC_DIR });
      const { page, close } = await newPage(browser);
      started.push({ ...peer, host, close });
      const pageErrors = collectPageErrors(page);
      await page.goto(host.url);
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      return { ...peer, page, url: host.url, pageErrors };
    });
    for (const { core, dataDir, host, close } of started) {
      await close();
      await host.close();
      await core.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },

  pageErrors: async ({ page }, use) => {
    await use(collectPageErrors(page));
  },

  // pageErrors before signing in, so that errors on the way are collected too
  signedInWithBob: async ({ page, parley, sip, registeredPeer, pageErrors }, use) => {
    void pageErrors;
    const bob = await registeredPeer('bob');
    await signIn(page, parley, sip);
    await use(bob);
  },
});

/** A Parley core of its own, registered at the test's Kamailio as `user`. */
async function startRegisteredCore(sip: RunningServer, user: string, password: string): Promise<Peer & { dataDir: string }> {
  const dataDir = await tempDir(user);
  const core = await createParley({ dataDir, listen: '127.0.0.1:0', logger: silentLogger });
  const { events, waitFor } = recordEvents(core);
  const aor = `sip:${user}@${sip.domain}`;
  await core.commands.setAccount({
    account: { aor, proxy: sip.uri('udp'), transport: 'udp', registerExpires: 600 },
    password,
  });
  await waitFor(isRegistration('registered'));
  return { core, aor, events, waitFor, dataDir };
}

/** A page in a browser context of its own (its own cookies: another user's token). */
async function newPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  return { page: await context.newPage(), close: () => context.close() };
}

function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export { expect };

/** Open the printed URL and wait until the app has its snapshot. */
export async function openApp(page: Page, parley: ParleyUnderTest): Promise<void> {
  await page.goto(parley.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

/** Sign in as alice at the test's server; resolves once registered. */
export async function signIn(page: Page, parley: ParleyUnderTest, sip: RunningServer): Promise<void> {
  await openApp(page, parley);
  await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });
  await expect(page.getByTestId('registration-state')).toHaveText('Registered');
}

/** Fill and submit the account form. */
export async function fillAccount(
  page: Page,
  values: { aor: string; password: string; proxy?: string; transport?: 'udp' | 'tcp' | 'tls'; authUser?: string },
): Promise<void> {
  await page.getByLabel('SIP address', { exact: true }).fill(values.aor);
  await page.getByLabel('Password', { exact: true }).fill(values.password);
  if (values.authUser) await page.getByLabel('Authentication user (optional)').fill(values.authUser);
  await page.getByLabel('Proxy / registrar (optional)').fill(values.proxy ?? '');
  await page.getByLabel('Transport').selectOption(values.transport ?? 'udp');
  await page.getByTestId('account-submit').click();
}

/** Choose an item of the main menu (☰ at the top of the left column). */
export async function chooseFromMenu(
  page: Page,
  item: 'edit-account' | 'presence-settings-open' | 'menu-chat-settings' | 'menu-search' | 'menu-new-chat' | 'register' | 'unregister',
): Promise<void> {
  await page.getByTestId('app-menu').click();
  await page.getByTestId(item).click();
}

/** Show the contacts tab of the left column. */
export async function showContacts(page: Page): Promise<void> {
  await page.getByTestId('tab-contacts').click();
  await expect(page.getByTestId('buddy-list')).toBeVisible();
}
