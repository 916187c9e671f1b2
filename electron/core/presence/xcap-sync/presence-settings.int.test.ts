/**
 * Profiles and schedule on the server (docs/DESIGN.md#profiles-and-schedule-on-the-server), with
 * real Parley cores and the bundled Kamailio's xcap_server with digest auth: what one device set
 * is what a new device of the same account starts with, and edits made on two devices from the
 * same version are both kept (If-Match, 412, merge).
 */
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import type { Profile } from '../../../../shared/domain/presence.js';
import type { AccountConfig } from '../../../../shared/ipc.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';
import {
  decodePresenceSettings,
  PRESENCE_SETTINGS_AUID,
  PRESENCE_SETTINGS_FILE,
  type PresenceSettings,
} from '../../../sip/xcap/profiles-document.js';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { presenceWorld } from '../testing/presence-test-helpers.js';

const PASSWORD = 'alice-secret';
const ALICE = 'sip:alice@parley.test';

const profile = (id: string, name: string, availability: 'online' | 'busy'): Profile => ({
  id,
  name,
  views: { '*': { availability, activities: [] } },
});

async function serverSettings(server: RunningServer): Promise<PresenceSettings | undefined> {
  const client = new XcapClient({ root: server.xcapRoot(), xui: ALICE, username: 'alice', password: PASSWORD });
  const read = await client.get(PRESENCE_SETTINGS_AUID, PRESENCE_SETTINGS_FILE);
  return read.found ? decodePresenceSettings(read.body) : undefined;
}

describe('profiles and schedule on the server (XCAP)', () => {
  const world = presenceWorld();

  it('a new device starts with what another set, and edits from two devices are both kept', async () => {
    const server = await world.server({ auth: true, users: [{ user: 'alice', password: PASSWORD }] });
    const account: AccountConfig = { aor: ALICE, proxy: server.uri(), transport: 'udp', registerExpires: 600, xcapRoot: server.xcapRoot() };
    const device = async (): Promise<TestCore> => {
      const core = world.add(await startCore({ account, password: PASSWORD }));
      await core.waitFor(isRegistration('registered'));
      return core;
    };
    const first = await device();
    await first.core.commands.saveProfile(profile('work', 'Work', 'busy'));
    const schedule = {
      timeZone: 'Europe/Berlin',
      rules: [{ id: 'r1', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work' }],
      defaultProfileId: 'available',
    };
    await first.core.commands.setSchedule(schedule);
    await expect.poll(async () => (await serverSettings(server))?.schedule, { timeout: 30_000 }).toEqual(schedule);

    const second = await device();
    await expect.poll(async () => (await second.core.commands.getSnapshot({})).presence.schedule, { timeout: 30_000 }).toEqual(schedule);
    expect((await second.core.commands.getSnapshot({})).presence.profiles.map((p) => p.name).sort()).toEqual(['Available', 'Work']);

    // both on the same version: the first renames Work, then the second adds Evening (its write
    // meets the first's version: 412, read, merge, write)
    await first.core.commands.saveProfile(profile('work', 'Office', 'busy'));
    await expect
      .poll(async () => (await serverSettings(server))?.profiles.find((p) => p.id === 'work')?.name, { timeout: 30_000 })
      .toBe('Office');
    await second.core.commands.saveProfile(profile('evening', 'Evening', 'online'));
    await expect
      .poll(async () => (await serverSettings(server))?.profiles.map((p) => p.name).sort(), { timeout: 30_000 })
      .toEqual(['Available', 'Evening', 'Office']);
    await expect
      .poll(async () => (await second.core.commands.getSnapshot({})).presence.profiles.map((p) => p.name).sort(), { timeout: 30_000 })
      .toEqual(['Available', 'Evening', 'Office']);
  });
});
