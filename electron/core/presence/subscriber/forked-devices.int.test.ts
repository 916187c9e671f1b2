/**
 * A buddy on two devices (direct presence): Kamailio forks Parley's SUBSCRIBE to both, each
 * device answers in its own dialog, and Parley composes the two documents into one state. On
 * quit each dialog is un-SUBSCRIBEd on its own, and each device's final NOTIFY (terminated) is
 * answered 200 (RFC 6665 §4.1.2.3), not 481: the dialogs linger until it came.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerOf, isBuddy, presenceWorld, requests, responsesTo, sippDevice } from '../testing/presence-test-helpers.js';
import type { RunningSipp } from '../../../testing/sipp.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'presence-device.xml');
const CAROL = 'sip:carol@parley.test';

describe('a buddy with several devices', () => {
  const world = presenceWorld();

  it('composes one state from the dialogs of a forked SUBSCRIBE and ends each dialog on quit', async () => {
    const server = await world.server();
    const devices: RunningSipp[] = [];
    const documents = [
      { device: 'desk', tuple: '<note>At my desk</note>', person: '' },
      { device: 'phone', tuple: '', person: '<dm:person id="p"><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>' },
    ];
    for (const doc of documents) devices.push(world.add(await sippDevice(server, 'carol', SCENARIO, doc, { timeoutSeconds: 30 })));
    await server.setPresenceMode('carol', 'direct');

    const parley = await world.parley(server, 'alice');
    await parley.core.commands.saveContact({ aor: CAROL, groups: [] });
    const both = await parley.waitFor(isBuddy(CAROL, (b) => b.view?.availability === 'busy' && b.view.note === 'At my desk'));
    expect(both.type === 'buddy' && both.buddy.view).toEqual({ availability: 'busy', note: 'At my desk', activities: ['on-the-phone'] });

    await parley.stop();
    for (const device of devices) {
      expect(await device.program.exited, device.program.output()).toBe(0);
      const messages = device.messages();
      const [, unsubscribe] = requests(messages, 'SUBSCRIBE');
      expect(headerOf(unsubscribe!, 'Expires')).toBe('0');
      // what Parley answered to the device's NOTIFYs, in order: the document, then the final one
      expect(responsesTo(messages, 'NOTIFY').map((r) => r.split('\r\n', 1)[0]!.trim())).toEqual(['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
    }
  });
});
