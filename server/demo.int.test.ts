/**
 * `npm run demo` as a newcomer uses it: start it, open the two printed addresses in one Chromium
 * (Debian's, as e2e/playwright.config.ts), see bob's presence in alice's contacts, send alice -> bob,
 * then Ctrl+C (SIGINT) and find nothing left: no Kamailio, no demo folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimeOf } from './process-groups.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ALICE = 'sip:alice@parley.test';
const BOB = 'sip:bob@parley.test';

interface Printed {
  urls: Record<string, string>;
  kamailioPid: number;
  dir: string;
}

/** Collects the demo's output until it says how to stop it, and reads the addresses from it. */
function readBanner(child: ChildProcess): Promise<Printed> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the demo did not start within 45 s:\n${out}`)), 45_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('Press Ctrl+C')) return;
      clearTimeout(timer);
      const urls = Object.fromEntries([...out.matchAll(/^\s+(alice|bob)\s+\S+\s+(http:\/\/\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      resolve({ urls, kamailioPid: Number(/Kamailio \(pid (\d+)\)/.exec(out)?.[1]), dir: /Everything is in (\S+) /.exec(out)?.[1] ?? '' });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${out}`)));
  });
}

/** Processes whose command line names `text` (Kamailio's names its run folder). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function openApp(browser: Browser, url: string): Promise<Page> {
  const page = await browser.contexts()[0]!.newPage();
  await page.goto(url);
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  return page;
}

let demo: ChildProcess;
let printed: Printed;
/** When the demo's Kamailio started, to know it is still the same process at the end. */
let kamailioStarted: string | undefined;
let browser: Browser;

beforeAll(async () => {
  const built = spawnSync('npm', ['run', 'build:renderer'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:renderer failed:\n${built.stderr}`);
  demo = spawn(process.execPath, ['--import', 'tsx', 'server/demo.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  printed = await readBanner(demo);
  kamailioStarted = startTimeOf(printed.kamailioPid);
  browser = await chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  await browser.newContext();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) demo.kill('SIGKILL');
  // Only while it is still that Kamailio: a pid freed by its exit may already be another process's.
  const pid = printed?.kamailioPid;
  if (pid && pid > 1 && startTimeOf(pid) === kamailioStarted) spawnSync('kill', ['-KILL', `-${pid}`]);
});

describe('npm run demo', () => {
  it('prints an address with its token for alice and for bob', () => {
    expect(printed.urls.alice).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(printed.urls.bob).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(printed.kamailioPid).toBeGreaterThan(0);
  });

  it("shows bob online in alice's contacts, and a message from alice reaches bob", async () => {
    // Both in one browser, as a newcomer would: each host's cookie is its own.
    const alice = await openApp(browser, printed.urls.alice!);
    const bob = await openApp(browser, printed.urls.bob!);
    await alice.getByTestId('tab-contacts').click();
    const bobAtAlice = alice.locator(`[data-testid="buddy"][data-aor="${BOB}"][data-shown="online"]`);
    await bobAtAlice.waitFor({ timeout: 20_000 });

    await bobAtAlice.getByTestId('buddy-chat').click();
    await alice.getByTestId('composer-input').fill('Hello from the demo');
    await alice.getByTestId('composer-input').press('Enter');
    await bob.locator(`[data-testid="conversation"][data-peer="${ALICE}"]`).click({ timeout: 20_000 });
    await bob.getByTestId('message-body').getByText('Hello from the demo').waitFor({ timeout: 20_000 });
  });

  it('stops everything on Ctrl+C: the demo exits 0, no Kamailio is left, its folder is gone', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(() => process.kill(printed.kamailioPid, 0)).toThrow();
    expect(processesMentioning(printed.dir)).toEqual([]);
    expect(existsSync(printed.dir)).toBe(false);
  });
});
