import type { ParleyApi, SequencedEvent } from '../../shared/ipc.js';
import { expect, signInShell, test } from './fixtures.js';

/** The shell's quit guard gives the core this long to stop (electron/main/app.ts), plus slack for the harness. */
const QUIT_BOUND_MS = 6_000;

test.describe('shell: quit', () => {
  test('Quit from the tray unregisters, unpublishes and ends subscriptions, within the bound', async ({ launch, sip, registeredPeer }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const alice = `sip:alice@${sip.domain}`;
    const bob = await registeredPeer('bob');
    // Alice watches bob (her SUBSCRIBE), bob watches alice (her PUBLISH, served by Kamailio).
    const saved = await page.evaluate(
      (aor) => (globalThis as unknown as { parley: ParleyApi }).parley.saveContact({ aor, name: 'Bob', groups: [] }),
      bob.aor,
    );
    expect(saved.ok).toBe(true);
    await bob.core.commands.saveContact({ aor: alice, name: 'Alice', groups: [] });
    await bob.waitFor((e: SequencedEvent) => e.type === 'buddy' && e.buddy.aor === alice && e.buddy.view?.availability === 'online');
    await expect.poll(() => sip.rpc('ul.dump')).toMatch(/alice/);
    // Bob hears from the server (watcher-info) that alice watches him.
    await bob.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === alice && e.watcher.subscribed);

    const quit = shell.electron.Tray.all[0]?.menu?.find('Quit');
    expect(quit?.click).toBeDefined();
    const started = Date.now();
    quit!.click!();
    expect(await shell.harness.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(QUIT_BOUND_MS);

    // At Kamailio: no binding left for alice (REGISTER with Expires 0 went out before the exit).
    expect(await sip.rpc('ul.dump')).not.toMatch(/alice@/);
    // Her SUBSCRIBE to bob ended: the server's watcher-info tells bob.
    await bob.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === alice && !e.watcher.subscribed);
    // Her watcher sees her offline: the PUBLISH was removed.
    await bob.waitFor(
      (e: SequencedEvent) =>
        e.type === 'buddy' && e.buddy.aor === alice && (e.buddy.view === null || e.buddy.view.availability === 'offline'),
    );
  });
});
