/**
 * The window at scale (issue 9): the real renderer in Debian's Chromium, served by the browser host
 * from a Parley core in direct mode whose 5,000 contacts (in ten groups) are watched at a sipp
 * presence source (the same source as `bench presence`, bench/lib/presence-sipp.ts).
 *
 *   npm run bench -- ui [--count N] [--messages N] [--storm-after MS] [--profile DIR]
 *
 *  - list: from opening the page to the app's snapshot, and from clicking Contacts to the first
 *    frame with its rows (timed in the page: the first full render of the list);
 *  - storm: every buddy changes at once (round 2 of the source): the page's frame times (a
 *    requestAnimationFrame loop) while the 5,000 updates arrive, p95 and worst;
 *  - a conversation of 10,000 stored messages: from the click to the first frame with its latest
 *    message (timed in the page), then
 *    scrolled with the wheel from the end to its first message;
 *  - the renderer's JS heap (Chromium's Runtime.getHeapUsage) after all of it.
 * A table, then as the last line one JSON object. Aims: p95 frame <= 16.7 ms, no frame over 50 ms,
 * opening <= 150 ms, heap <= 150 MB. Exit code 1 only when something never showed.
 * `--profile DIR` builds the renderer unminified and writes the renderer's CPU profile of the storm
 * and of the opening to DIR (storm.cpuprofile, open.cpuprofile), with their top functions by self time.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { normalizeAddress, type ChatMessage, type SequencedEvent } from '../shared/ipc.js';
import { startBrowserHost } from '../electron/hosts/browser/server.js';
import { createParley } from '../electron/hosts/compose.js';
import { silentLogger } from '../electron/support/logger.js';
import { openDatabase } from '../electron/storage/database.js';
import { MessagesRepo } from '../electron/storage/messages-repo.js';
import { PresenceRepo } from '../electron/storage/presence-repo.js';
import { freePort } from '../server/free-port.js';
import { numberOption, stringOption } from './lib/args.js';
import { startProfile } from './lib/cpu-profile.js';
import { Harness } from './lib/harness.js';
import { buddyAor, buddyNumber, expectedView, sameView } from './lib/presence-roster.js';
import { startSource, writeRoster } from './lib/presence-sipp.js';
import { quantile, round, table } from './lib/stats.js';

const HOST = '127.0.0.1';
const ROOT = path.resolve(import.meta.dirname, '..');
const STATIC_DIR = path.join(ROOT, 'dist', 'renderer');
const COUNT = Math.floor(numberOption('--count', 5000));
const MESSAGES = Math.floor(numberOption('--messages', 10_000));
const STORM_AFTER_MS = numberOption('--storm-after', 20_000);
const GROUPS = 10;
const LONG_PEER = 'sip:archive@127.0.0.1:9';
const PROFILE_DIR = stringOption('--profile');
const AIM = { p95FrameMs: 16.7, worstFrameMs: 50, openMs: 150, heapMb: 150 };

const harness = new Harness('ui', 10 * 60_000, 60_000);

/** The stored state the window opens on: groups, contacts, and one long conversation. */
function seed(dataDir: string, port: number): void {
  const db = openDatabase(dataDir);
  const presence = new PresenceRepo(db);
  const messages = new MessagesRepo(db, () => {});
  db.transaction(() => {
    for (let g = 0; g < GROUPS; g++) presence.saveGroup({ id: `team-${g}`, name: `Team ${g + 1}` });
    for (let n = 0; n < COUNT; n++)
      presence.saveContact({ aor: buddyAor(n, HOST, port), name: `Buddy ${n}`, groups: [`team-${n % GROUPS}`] });
    const conversationId = 'bench-archive';
    const start = Date.now() - MESSAGES * 60_000;
    messages.createConversation({
      id: conversationId,
      peer: LONG_PEER,
      callId: 'bench-archive-call',
      lastActivity: start + MESSAGES * 60_000,
      unread: 0,
    });
    for (let i = 1; i <= MESSAGES; i++) {
      const out = i % 3 === 0;
      const message: ChatMessage = {
        id: `bench-${String(i).padStart(6, '0')}`,
        conversationId,
        direction: out ? 'out' : 'in',
        from: out ? 'sip:me@127.0.0.1' : LONG_PEER,
        to: out ? LONG_PEER : 'sip:me@127.0.0.1',
        callId: 'bench-archive-call',
        cseq: i,
        contentType: 'text/plain',
        body: `message ${i}${i % 7 === 0 ? ' with a longer line that wraps across the bubble to make rows of different heights' : ''}`,
        at: start + i * 60_000,
        order: i,
        state: out ? 'delivered' : 'received',
      };
      messages.insert(message);
    }
  })();
  db.close();
}

/** Frame intervals (ms) of the page between start and stop, from a requestAnimationFrame loop. */
async function startFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(`(() => {
    const w = window;
    w.__frames = [];
    w.__framesOn = true;
    const tick = (t) => { w.__frames.push(t); if (w.__framesOn) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  return async () => {
    const stamps = (await page.evaluate(`(() => { window.__framesOn = false; return window.__frames; })()`)) as number[];
    return stamps.slice(1).map((t, i) => t - stamps[i]!);
  };
}

harness.main(async () => {
  // Always the renderer of this checkout, as `npm run test:e2e` does.
  console.log('ui: building the renderer ...');
  // A profile names functions only when the code is not minified.
  const build = PROFILE_DIR ? ['run', 'build:renderer', '--', '--minify', 'false'] : ['run', 'build:renderer'];
  const built = spawnSync('npm', build, { cwd: ROOT, stdio: 'ignore' });
  if (built.status !== 0 || !existsSync(path.join(STATIC_DIR, 'index.html')))
    throw new Error('the renderer did not build (npm run build:renderer)');
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-ui-'));
  harness.onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort(HOST);
  writeRoster(dir, COUNT);
  const dataDir = path.join(dir, 'parley');
  seed(dataDir, port);
  await harness.awaitQuiet();

  const stormAt = Date.now() + STORM_AFTER_MS;
  const source = await startSource({ host: HOST, port, dir, stormAt });
  harness.onCleanup(() => source.stop());

  // Which round each buddy's last event showed, so the bench knows when the storm has landed.
  const shown = new Map<number, 1 | 2>();
  // An account without a server: direct mode, as a user who set one up (no first-start screen).
  const account = { aor: `sip:me@${HOST}`, transport: 'udp' as const, registerExpires: 600 };
  const core = await createParley({ dataDir, account, listen: `${HOST}:0`, logger: silentLogger });
  harness.onCleanup(() => core.stop());
  core.subscribe((event: SequencedEvent) => {
    if (event.type !== 'buddy') return;
    const n = buddyNumber(normalizeAddress(event.buddy.aor));
    if (n === undefined) return;
    if (sameView(event.buddy.view, expectedView(n, 2))) shown.set(n, 2);
    else if (sameView(event.buddy.view, expectedView(n, 1))) shown.set(n, 1);
  });
  const host = await startBrowserHost({ core, host: HOST, staticDir: STATIC_DIR });
  harness.onCleanup(() => host.close());

  const browser = await chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  harness.onCleanup(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  // The list: snapshot, then the first full render of 5,000 contacts in groups.
  const openedAt = performance.now();
  await page.goto(host.url);
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  const snapshotMs = performance.now() - openedAt;
  // Timed in the page: from the click to the first frame with the contacts' rows.
  const listMs = (await page.evaluate(`new Promise((resolve) => {
    const start = performance.now();
    document.querySelector('[data-testid="tab-contacts"]').click();
    const check = () => (document.querySelector('[data-testid="buddy"]') ? resolve(performance.now() - start) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  })`)) as number;
  const rows = await page.getByTestId('buddy').count();

  // Round 1 known, then the storm with the frame clock running.
  const until = async (test: () => boolean, limitMs: number, what: string) => {
    const end = Date.now() + limitMs;
    while (!test()) {
      if (Date.now() > end) throw new Error(`${what} did not happen within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await until(() => shown.size === COUNT, STORM_AFTER_MS, `all ${COUNT} buddies known before the storm`);
  await until(() => Date.now() >= stormAt - 500, STORM_AFTER_MS, 'the storm');
  // The display's own cadence first: the same frame loop on the idle page for a second. Chromium
  // coarsens a page's clock to 0.1 ms unless it is cross-origin isolated (the browser host asks for
  // that, electron/hosts/browser/responses.ts), so an idle 60 Hz page could read 16.6 and 16.8 ms;
  // storm frames are read against this.
  const isolated = (await page.evaluate('crossOriginIsolated')) === true;
  const stopIdleFrames = await startFrames(page);
  await page.waitForTimeout(1000);
  const idleFrames = await stopIdleFrames();
  const cdp = await page.context().newCDPSession(page);
  const profiles: string[] = [];
  const stopStormProfile = PROFILE_DIR ? await startProfile(cdp) : undefined;
  const stopFrames = await startFrames(page);
  const storm0 = Date.now();
  // Until every buddy shows round 2, or none has changed for 3 s (a NOTIFY lost over UDP that the
  // source does not send again; the count is reported).
  const inRound2 = () => [...shown.values()].filter((r) => r === 2).length;
  let last = -1;
  let lastChange = Date.now();
  await until(
    () => {
      const now = inRound2();
      if (now !== last) [last, lastChange] = [now, Date.now()];
      return now === COUNT || Date.now() - lastChange > 3000;
    },
    90_000,
    'the storm to settle',
  );
  const updated = inRound2();
  if (updated < COUNT * 0.9) throw new Error(`only ${updated} of ${COUNT} buddies showed the storm's state`);
  const stormMs = Date.now() - storm0;
  // The page applies what it received per animation frame: keep measuring until it has shown the storm.
  await page.waitForTimeout(1000);
  const frames = await stopFrames();
  if (stopStormProfile && PROFILE_DIR) profiles.push(await stopStormProfile('storm', PROFILE_DIR));
  const heapAfterStorm = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1e6;

  // A conversation of 10,000 messages: open it, then scroll to its start with the wheel.
  await page.getByTestId('tab-chats').click();
  const row = page.locator(`[data-testid="conversation"][data-peer="${LONG_PEER}"]`);
  await row.waitFor();
  const stopOpenProfile = PROFILE_DIR ? await startProfile(cdp) : undefined;
  // Timed in the page: from the click to the first frame that shows the latest message.
  const openMs = (await page.evaluate(`new Promise((resolve) => {
    const row = document.querySelector('[data-testid="conversation"][data-peer="${LONG_PEER}"]');
    const latest = 'message ${MESSAGES}';
    const start = performance.now();
    row.click();
    const check = () => {
      const bodies = document.querySelectorAll('[data-testid="message-body"]');
      if ([...bodies].some((b) => b.textContent === latest)) resolve(performance.now() - start);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })`)) as number;
  if (stopOpenProfile && PROFILE_DIR) profiles.push(await stopOpenProfile('open', PROFILE_DIR));
  await page.getByTestId('message-scroller').hover();
  const scrollStart = performance.now();
  let wheels = 0;
  const first = page.getByTestId('message-body').getByText('message 1', { exact: true });
  while (!(await first.isVisible())) {
    await page.mouse.wheel(0, -4000);
    wheels++;
    if (performance.now() - scrollStart > 180_000) throw new Error('the first message never came into view');
  }
  const scrollMs = performance.now() - scrollStart;
  const held = Number(await page.getByTestId('message-pane').getAttribute('data-count'));
  const heapMb = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1e6;

  const p95 = quantile(frames, 0.95);
  const worst = Math.max(...frames);
  const idleP95 = quantile(idleFrames, 0.95);
  const displayFrame = quantile(idleFrames, 0.5);
  /** Frames that took the time of two display frames or more: a frame the storm made the page miss. */
  const missed = frames.filter((f) => f >= 1.5 * displayFrame).length;
  const aims = {
    p95Frame: p95 <= AIM.p95FrameMs,
    worstFrame: worst <= AIM.worstFrameMs,
    open: openMs <= AIM.openMs,
    heap: heapMb <= AIM.heapMb,
  };
  const ms = (value: number) => value.toFixed(1);
  const ms2 = (value: number) => value.toFixed(2);
  console.log('');
  console.log(
    `The window with ${COUNT} contacts in ${GROUPS} groups and a ${MESSAGES}-message conversation (Chromium ${browser.version()}, 1280x800)`,
  );
  console.log(
    table([
      ['what', 'figure', 'aim'],
      ['page open -> snapshot shown', `${ms(snapshotMs)} ms`, ''],
      ['Contacts click -> rows on screen', `${ms(listMs)} ms (${rows} rows in the DOM)`, ''],
      [`storm: updates received by the core`, `${updated}/${COUNT} in ${ms(stormMs)} ms`, ''],
      [
        'idle page: frame time median / p95',
        `${ms2(displayFrame)} / ${ms2(idleP95)} ms over ${idleFrames.length} frames (${isolated ? 'precise clock' : 'clock coarsened to 0.1 ms'})`,
        '',
      ],
      ['storm: frame time p95', `${ms2(p95)} ms over ${frames.length} frames`, `<= ${AIM.p95FrameMs} ms`],
      ['storm: frames missed (>= 1.5 display frames)', `${missed} of ${frames.length}`, ''],
      ['storm: worst frame', `${ms(worst)} ms`, `<= ${AIM.worstFrameMs} ms`],
      ['heap after the storm', `${ms(heapAfterStorm)} MB`, ''],
      [`open the ${MESSAGES}-message conversation`, `${ms(openMs)} ms`, `<= ${AIM.openMs} ms`],
      ['scroll it from the end to the start', `${ms(scrollMs)} ms (${wheels} wheel turns, ${held} held)`, ''],
      ['renderer JS heap at the end', `${ms(heapMb)} MB`, `<= ${AIM.heapMb} MB`],
    ]),
  );
  console.log(
    `Aims: ${Object.entries(aims)
      .map(([k, met]) => `${k} ${met ? 'met' : 'NOT met'}`)
      .join(', ')}.`,
  );
  for (const profile of profiles) console.log(`Profile ${profile}`);
  if (pageErrors.length) console.log(`Page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
  console.log(
    JSON.stringify({
      bench: 'ui',
      contacts: COUNT,
      messages: MESSAGES,
      snapshotMs: round(snapshotMs, 1),
      listRenderMs: round(listMs, 1),
      listRowsInDom: rows,
      stormMs: round(stormMs, 1),
      stormUpdated: updated,
      frames: frames.length,
      frameP95Ms: round(p95, 2),
      idleFrameMedianMs: round(displayFrame, 2),
      idleFrameP95Ms: round(idleP95, 2),
      crossOriginIsolated: isolated,
      framesMissed: missed,
      frameWorstMs: round(worst, 1),
      heapAfterStormMb: round(heapAfterStorm, 1),
      openConversationMs: round(openMs, 1),
      scrollToStartMs: round(scrollMs, 1),
      messagesHeld: held,
      heapMb: round(heapMb, 1),
      aims,
      pageErrors: pageErrors.length,
    }),
  );
  return 0;
});
