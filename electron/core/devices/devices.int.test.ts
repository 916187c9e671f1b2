/**
 * Two Parley devices of one account (alice) and a third user (bob) through the bundled Kamailio:
 * each device registers with its own +sip.instance (two bindings, not one replacing the other), a MESSAGE to alice reaches both devices, each once, and each device lists the other
 * (its name, online, then offline once it has left) from the registrar's "reg" event.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SequencedEvent } from '../../../shared/ipc.js';
import { isDelivery, isIncoming, startCore } from '../../testing/cores.js';
import { USER_PASSWORD, kamailioWithUsers, testAccount } from '../../testing/kamailio-users.js';

const registered = (e: SequencedEvent) => e.type === 'registration' && e.state === 'registered';

describe('two devices of one account through the bundled Kamailio', () => {
  const env = kamailioWithUsers(['alice', 'bob']);

  it('registers each device with its own instance; a message to the user reaches both, once each', { timeout: 60_000 }, async () => {
    const laptop = await env.parley('alice');
    const phone = await env.parley('alice');
    const bob = await env.parley('bob');
    await laptop.waitFor(registered);
    await phone.waitFor(registered);
    // the phone registered second, so the registrar's answer listed the laptop's binding beside
    // its own: two instances, not one replacing the other
    expect((await phone.core.commands.getSnapshot({})).registration.otherDevices).toBe(1);

    const sent = await bob.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'to every device' });
    await bob.waitFor(isDelivery(sent.id, 'delivered'));
    await laptop.waitFor(isIncoming('to every device'));
    await phone.waitFor(isIncoming('to every device'));
    // a second message, so a duplicate of the first would have arrived by the time this one has
    const second = await bob.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'and again' });
    await bob.waitFor(isDelivery(second.id, 'delivered'));
    await laptop.waitFor(isIncoming('and again'));
    await phone.waitFor(isIncoming('and again'));
    for (const device of [laptop, phone]) expect(device.events.filter(isIncoming('to every device'))).toHaveLength(1);
  });

  it("lists the account's devices with their names, and tells when one leaves", { timeout: 60_000 }, async () => {
    const laptop = await env.parley('alice');
    await laptop.core.commands.setDeviceName({ name: 'Laptop' });
    const phone = await startCore({ account: testAccount(env.server, 'alice'), password: USER_PASSWORD });
    let phoneStopped = false;
    onTestFinished(() => (phoneStopped ? undefined : phone.stop()));
    await phone.core.commands.setDeviceName({ name: 'Phone ☎ (kitchen)' });
    const listed = (name: string, state: string) => (e: SequencedEvent) =>
      e.type === 'devices' && e.devices.some((d) => d.name === name && d.state === state && !d.self);
    await laptop.waitFor(listed('Phone ☎ (kitchen)', 'online'));
    const onPhone = await phone.waitFor(listed('Laptop', 'online'));
    expect(onPhone.type === 'devices' && onPhone.devices.filter((d) => d.self).map((d) => d.name)).toEqual(['Phone ☎ (kitchen)']);
    // the device list names no address: only names, states and times
    expect(JSON.stringify(onPhone)).not.toMatch(/127\.0\.0\.1/);

    phoneStopped = true;
    await phone.stop();
    const gone = await laptop.waitFor(listed('Phone ☎ (kitchen)', 'offline'));
    expect(gone.type === 'devices' && gone.devices.find((d) => d.name === 'Phone ☎ (kitchen)')?.lastSeen).toBeGreaterThan(0);
    // (the first test's two devices of alice are still registered, named after this computer)
    const online = (await laptop.core.commands.getSnapshot({})).devices?.devices.filter((d) => d.state === 'online');
    expect(online?.map((d) => d.name)).toContain('Laptop');
    expect(online?.map((d) => d.name)).not.toContain('Phone ☎ (kitchen)');
  });
});
