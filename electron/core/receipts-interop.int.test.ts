/**
 * Receipts (IMDN, RFC 5438) with a real linphonec (liblinphone 5.1) through the bundled Kamailio
 * (auth on), both ways. liblinphone answers a message that asks with a "delivered" notification;
 * it sends its own messages in CPIM asking for receipts when its account has
 * cpim_in_basic_chat_rooms_enabled. linphonec never marks a chat read (console/linphonec.c only
 * prints what arrives), so it never sends "displayed": that way is checked from its log, where
 * liblinphone writes the state our notifications move its message to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../testing/cores.js';
import { startLinphonec, type RunningLinphonec } from '../testing/linphonec.js';

let server: RunningServer;
let alice: TestCore | undefined;
let carol: RunningLinphonec | undefined;
let logFile = '';

beforeAll(async () => {
  server = await startKamailio({ auth: true, users: ['alice', 'carol'].map((user) => ({ user, password: 'secret' })) });
  alice = await startCore({
    account: { aor: `sip:alice@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
    password: 'secret',
  });
  await alice.waitFor(isRegistration('registered'));
  logFile = process.env.LINPHONEC_LOG ?? path.join(alice.dataDir, 'linphonec.log');
  carol = await startLinphonec({
    user: 'carol',
    password: 'secret',
    domain: server.domain,
    proxy: server.uri(),
    cpim: true,
    logLevel: 6,
    logFile,
  });
});
afterAll(async () => {
  await carol?.stop();
  await alice?.stop();
  await server?.stop();
});

/** Waits until liblinphone's log has a line matching `pattern` (polled: it is a file). */
async function logged(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    const line = text.split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`linphonec log has no line matching ${String(pattern)}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval
  }
}

describe('Parley <-> linphonec receipts', () => {
  it('Parley -> linphonec: linphonec reports the message delivered to its device', async () => {
    const sent = await alice!.core.commands.sendMessage({ to: 'sip:carol@parley.test', body: 'receipt, linphone?' });
    await carol!.program.waitForLine(/Message received from sip:alice@parley\.test: receipt, linphone\?$/, { timeoutMs: 5000 });
    await alice!.waitFor(isDelivery(sent.id, 'delivered'));
    const receipt = await alice!.waitFor((e) => e.type === 'delivery' && e.id === sent.id && e.receipt !== undefined);
    expect(receipt).toMatchObject({ state: 'delivered', receipt: 'on-device' });
  });

  it('linphonec -> Parley: it asks, Parley answers delivered, and displayed once read', async () => {
    carol!.chat('sip:alice@parley.test', 'do you read me?');
    const got = await alice!.waitFor(isIncoming('do you read me?'));
    expect(got.type === 'message' && got.contentType).toMatch(/^text\/plain/);
    await logged(/chat room ConferenceId\(peer=IdentityAddress\(sip:alice@parley\.test\).* : moving from \w+ to DeliveredToUser$/);
    await alice!.core.commands.markRead({ conversationId: got.type === 'message' ? got.conversationId : '' });
    await logged(/chat room ConferenceId\(peer=IdentityAddress\(sip:alice@parley\.test\).* : moving from DeliveredToUser to Displayed$/);
  });
});
