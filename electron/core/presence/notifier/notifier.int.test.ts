/**
 * Parley as its own presence agent, watched directly (no proxy) by sipp watchers
 * (scenarios/watcher.xml): per-group views at the same time, a schedule boundary crossed on an
 * injected clock, pending and blocked watchers, refresh, expiry, un-subscribe, the final NOTIFY on
 * quit, and the answers to SUBSCRIBEs Parley does not take. What a watcher saw is read from the
 * NOTIFYs on the wire and decoded with the subscriber's codec.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { PresenceView } from '../../../../shared/domain/presence.js';
import type { SequencedEvent } from '../../../../shared/ipc.js';
import { composePresence, decodePidf } from '../../../sip/presence/index.js';
import { startCore, type TestCore } from '../../../testing/cores.js';
import { startSipp } from '../../../testing/sipp.js';
import { header, readTrace, startWatcher, TestClock, type SippWatcher, type TracedMessage } from './testing/sipp-watcher.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** A Parley without an account (direct mode) on a free UDP port. */
async function parley(clock?: TestClock): Promise<{ parley: TestCore; hostPort: string }> {
  const started = await startCore(clock ? { clock } : {});
  cleanups.push(() => started.stop());
  const snapshot = await started.core.commands.getSnapshot({});
  const udp = snapshot.listening.find((l) => l.transport === 'udp')!;
  return { parley: started, hostPort: `127.0.0.1:${udp.port}` };
}

async function watch(
  hostPort: string,
  from: string,
  options: { unsub?: number; refresh?: number; expires?: number } = {},
): Promise<SippWatcher> {
  const watcher = await startWatcher({ target: hostPort, from, to: 'alice', domain: hostPort, ...options });
  cleanups.push(() => watcher.stop());
  return watcher;
}

/** A SUBSCRIBE to alice that must be refused (scenarios/subscribe-refused.xml): the refusal. */
async function refusedSubscribe(hostPort: string, keys: Record<string, string>): Promise<TracedMessage> {
  const sipp = await startSipp({
    target: hostPort,
    scenario: path.join(import.meta.dirname, 'scenarios', 'subscribe-refused.xml'),
    timeoutSeconds: 20,
    trace: true,
    keys: { to: 'alice', domain: hostPort, ...keys },
  });
  cleanups.push(() => sipp.stop());
  expect(await sipp.program.exited, sipp.program.output()).toBe(0);
  return readTrace(readFileSync(sipp.traceFile)).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 4'))!;
}

/** What a NOTIFY showed: its Subscription-State and the presence its body describes (null: no body). */
function seen(notify: TracedMessage): { state: string; view: Pick<PresenceView, 'availability' | 'note'> | null } {
  const state = header(notify, 'Subscription-State') ?? '';
  if (!notify.body) return { state, view: null };
  expect(header(notify, 'Content-Type')).toBe('application/pidf+xml');
  const view = composePresence([decodePidf(notify.body)]);
  return { state, view: { availability: view.availability, ...(view.note !== undefined ? { note: view.note } : {}) } };
}

const online = { availability: 'online' };

async function workHoursRoster(parleyCore: TestCore, hostPort: string): Promise<void> {
  const commands = parleyCore.core.commands;
  await commands.saveGroup({ id: 'friends', name: 'Friends' });
  await commands.saveGroup({ id: 'coworkers', name: 'Co-workers' });
  await commands.saveContact({ aor: `sip:fred@${hostPort}`, name: 'Fred', groups: ['friends'] });
  await commands.saveContact({ aor: `sip:carla@${hostPort}`, name: 'Carla', groups: ['coworkers'] });
  await commands.saveProfile({ id: 'default', name: 'Default', views: { '*': { availability: 'online', activities: [] } } });
  await commands.saveProfile({
    id: 'work',
    name: 'Work hours',
    views: {
      friends: { availability: 'busy', note: 'At work', activities: [] },
      coworkers: { availability: 'online', activities: [] },
      '*': { availability: 'away', activities: [] },
    },
  });
  await commands.setSchedule({
    timeZone: 'Europe/Berlin',
    defaultProfileId: 'default',
    rules: [{ id: 'work', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work' }],
  });
}

const isWatcher = (aor: string, test: (e: SequencedEvent & { type: 'watcher' }) => boolean) => (e: SequencedEvent) =>
  e.type === 'watcher' && normalizeAddress(e.watcher.aor) === normalizeAddress(aor) && test(e);

describe('the notifier, watched directly', () => {
  it('shows two groups different states at once and crosses a schedule boundary, notifying only whose view changed', async () => {
    // Monday 31 March 2025 (the day after Berlin went to summer time), ten to nine.
    const clock = new TestClock(Date.parse('2025-03-31T08:50:00+02:00'));
    const { parley: alice, hostPort } = await parley(clock);
    await workHoursRoster(alice, hostPort);
    // Long subscriptions: the jump below moves the wall clock ten minutes at once.
    const fred = await watch(hostPort, 'fred', { unsub: 3, expires: 3600 });
    const carla = await watch(hostPort, 'carla', { unsub: 2, expires: 3600 });
    await Promise.all([fred.notified(1), carla.notified(1)]);

    // Two seconds before nine, as after sleep: the policy timer crosses nine o'clock by itself.
    clock.jumpTo(Date.parse('2025-03-31T08:59:58+02:00'));
    alice.core.onResume?.();
    await fred.notified(2);
    await alice.waitFor((e) => e.type === 'status' && e.status.profileId === 'work');
    const seesFred = await alice.core.commands.whatDoesWatcherSee({ watcher: `sip:fred@${hostPort}` });
    expect(seesFred).toMatchObject({
      source: 'profile',
      group: 'friends',
      profileId: 'work',
      view: { availability: 'busy', note: 'At work' },
    });

    // A manual status reaches both; then both un-subscribe.
    await alice.core.commands.setStatus({ view: { availability: 'away', note: 'Lunch', activities: ['meal'] }, until: 'next-boundary' });
    expect(await fred.exited, fred.program.output()).toBe(0);
    expect(await carla.exited, carla.program.output()).toBe(0);

    expect(fred.notifies().map(seen)).toEqual([
      { state: 'active;expires=3600', view: online },
      { state: expect.stringMatching(/^active;expires=\d+$/), view: { availability: 'busy', note: 'At work' } },
      { state: expect.stringMatching(/^active;expires=/), view: { availability: 'away', note: 'Lunch' } },
      { state: 'terminated;reason=timeout', view: { availability: 'away', note: 'Lunch' } },
    ]);
    // Carla's view did not change at nine: no NOTIFY for her then.
    expect(carla.notifies().map(seen)).toEqual([
      { state: 'active;expires=3600', view: online },
      { state: expect.stringMatching(/^active;expires=/), view: { availability: 'away', note: 'Lunch' } },
      { state: 'terminated;reason=timeout', view: { availability: 'away', note: 'Lunch' } },
    ]);
    await alice.waitFor(isWatcher(`sip:carla@${hostPort}`, (e) => !e.watcher.subscribed));
  });

  it('gives a pending watcher no real state; a blocked one sees us go as on quit, with the very bytes of real offline, and is then answered 480', async () => {
    const { parley: alice, hostPort } = await parley();
    await alice.core.commands.saveContact({ aor: `sip:carla@${hostPort}`, groups: [] });
    const carla = await watch(hostPort, 'carla', { unsub: 3 });
    const mallory = await watch(hostPort, 'mallory', { unsub: 2 });
    await Promise.all([carla.notified(1), mallory.notified(1)]);
    await alice.waitFor(isWatcher(`sip:mallory@${hostPort}`, (e) => e.watcher.status === 'pending' && e.watcher.subscribed));
    expect(await alice.core.commands.whatDoesWatcherSee({ watcher: `sip:mallory@${hostPort}` })).toMatchObject({ source: 'pending' });

    // Appear offline, then back: carla sees both; mallory, pending, sees neither.
    await alice.core.commands.setStatus({ view: { availability: 'offline', activities: [] }, until: 'cleared' });
    await carla.notified(2);
    await alice.core.commands.clearStatus({});
    await carla.notified(3);
    const blocked = await alice.core.commands.answerWatcher({ aor: `sip:mallory@${hostPort}`, decision: 'block' });
    expect(blocked).toMatchObject({ status: 'blocked', subscribed: true });
    expect(await carla.exited, carla.program.output()).toBe(0);
    expect(await mallory.exited, mallory.program.output()).toBe(0);

    const answers = (w: SippWatcher) =>
      w
        .trace()
        .filter((m) => m.direction === 'received' && / SUBSCRIBE$/.test(header(m, 'CSeq') ?? '') && m.startLine.startsWith('SIP/2.0 2'));
    expect(answers(mallory)[0]!.startLine).toBe('SIP/2.0 202 Accepted');
    expect(answers(carla)[0]!.startLine).toBe('SIP/2.0 200 OK');

    const carlaSaw = carla.notifies();
    const mallorySaw = mallory.notifies();
    expect(carlaSaw.map(seen).map((s) => s.view?.availability)).toEqual(['online', 'offline', 'online', 'online']);
    // Blocked: the subscription ends as quitting ends it (detach), with byte for byte what carla
    // got when we really appeared offline.
    expect(mallorySaw.map((n) => header(n, 'Subscription-State'))).toEqual(['pending;expires=600', 'terminated;reason=deactivated']);
    expect(mallorySaw[0]!.body).toBe('');
    expect(header(mallorySaw[0]!, 'Content-Type')).toBeUndefined();
    expect(mallorySaw[1]!.body).toBe(carlaSaw[1]!.body);
    // Coming back, mallory is answered as if no device of ours were there (a server holds it).
    const again = await refusedSubscribe(hostPort, { from: 'mallory', event: 'presence', accept: 'application/pidf+xml', expires: '600' });
    expect(again.startLine).toBe('SIP/2.0 480 Temporarily Unavailable');
    expect(await alice.core.commands.whatDoesWatcherSee({ watcher: `sip:mallory@${hostPort}` })).toMatchObject({
      source: 'blocked',
      view: { availability: 'offline' },
    });
  });

  it('refreshes, and ends a subscription that is not refreshed again with terminated;reason=timeout', async () => {
    // Thirty times real time: a 60 s subscription lasts two seconds.
    const clock = new TestClock(Date.now(), 30);
    const { parley: alice, hostPort } = await parley(clock);
    await alice.core.commands.saveContact({ aor: `sip:fred@${hostPort}`, groups: [] });
    const fred = await watch(hostPort, 'fred', { expires: 60, refresh: 1 });
    expect(await fred.exited, fred.program.output()).toBe(0);
    const states = fred.notifies().map((n) => header(n, 'Subscription-State'));
    expect(states).toEqual([
      expect.stringMatching(/^active;expires=(59|60)$/),
      expect.stringMatching(/^active;expires=(5\d|60)$/),
      'terminated;reason=timeout',
    ]);
    // The NOTIFY after the refresh carries the full state again.
    expect(fred.notifies().map((n) => seen(n).view)).toEqual([online, online, online]);
    await alice.waitFor(isWatcher(`sip:fred@${hostPort}`, (e) => !e.watcher.subscribed));
  });

  it('ends every subscription with a final NOTIFY when Parley quits', async () => {
    const { parley: alice, hostPort } = await parley();
    await alice.core.commands.saveContact({ aor: `sip:fred@${hostPort}`, groups: [] });
    const fred = await watch(hostPort, 'fred');
    const stranger = await watch(hostPort, 'stranger');
    await Promise.all([fred.notified(1), stranger.notified(1)]);
    await alice.core.stop();
    expect(await fred.exited, fred.program.output()).toBe(0);
    expect(await stranger.exited, stranger.program.output()).toBe(0);
    const [first, last] = fred.notifies();
    expect(seen(first!).view).toEqual(online);
    expect(seen(last!)).toEqual({ state: 'terminated;reason=deactivated', view: { availability: 'offline' } });
    // A pending watcher learns nothing, not even "offline".
    const strangerLast = stranger.notifies()[1]!;
    expect(seen(strangerLast)).toEqual({ state: 'terminated;reason=deactivated', view: null });
  });

  it('refuses other events, too brief an Expires and an Accept without PIDF', async () => {
    const { parley: alice, hostPort } = await parley();
    const refused = (keys: Record<string, string>) => refusedSubscribe(hostPort, { from: 'refused', ...keys });
    const winfo = await refused({ event: 'presence.winfo', accept: 'application/watcherinfo+xml', expires: '600' });
    expect(winfo.startLine).toMatch(/^SIP\/2\.0 489 /);
    expect(header(winfo, 'Allow-Events')).toBe('presence');
    const brief = await refused({ event: 'presence', accept: 'application/pidf+xml', expires: '5' });
    expect(brief.startLine).toMatch(/^SIP\/2\.0 423 /);
    expect(header(brief, 'Min-Expires')).toBe('60');
    const xpidf = await refused({ event: 'presence', accept: 'application/xpidf+xml', expires: '600' });
    expect(xpidf.startLine).toMatch(/^SIP\/2\.0 415 /);
    expect(header(xpidf, 'Accept')).toBe('application/pidf+xml');
    // None of them became a watcher.
    expect((await alice.core.commands.getSnapshot({})).presence.watchers).toEqual([]);
  });
});
