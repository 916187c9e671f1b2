/**
 * One Parley core in a child process, for tests that put cores in separate network namespaces
 * (testing/netns.ts). Run as `node --import tsx netns-peer.ts '{"listen":"169.254.7.1:0"}'`; with
 * `"account"` (and `"password"`) in the JSON it registers, as behind a NAT (testing/nat-gateway.ts).
 *
 * Speaks JSON lines: prints {"type":"ready","address","port"} once listening, then answers each
 * command read from stdin with one line carrying the same id:
 *   {"id",cmd:"send",to,count,concurrency}  -> sends "msg-0001".. and a final "sentinel", reports outcomes
 *   {"id",cmd:"report",expect}              -> waits for "sentinel", reports the tally of "msg-" bodies
 *   {"id",cmd:"waitFor",body?,timeoutMs}    -> waits for that incoming body, or else for "registered"
 *   {"id",cmd:"facts"}                      -> registration states so far (with reason codes), the
 *                                              bodies received, and the keep-alive's last log fields
 * End of stdin stops the core and exits.
 */
import readline from 'node:readline';
import type { AccountConfig } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { isIncoming, isRegistration, startCore } from '../../testing/cores.js';
import { InboxTally, numberedBodies, sendMany } from '../../testing/traffic.js';
import type { LogFields, Logger } from '../../support/logger.js';

const config = JSON.parse(process.argv[2] ?? '{}') as { listen?: string; account?: AccountConfig; password?: string };
/** The keep-alive's log lines (udp-keepalive.ts), the latest first: what it found and learnt. */
const keepAliveLog: { message: string; fields?: LogFields }[] = [];
const note = (message: string, fields?: LogFields) => {
  if (message.startsWith('keep-alive')) keepAliveLog.unshift({ message, ...(fields ? { fields } : {}) });
};
const logger: Logger = { debug: note, info: note, warn: note, error: () => {} };
// One conversation carries every message: its send window opened to the test's 32 in flight
// (chat's default is 8), so the queues between the namespaces overflow as the test needs.
const test = await startCore({
  listen: config.listen ?? '127.0.0.1:0',
  sendWindow: 32,
  logger,
  ...(config.account ? { account: config.account, password: config.password } : {}),
});
const print = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');
const inbox = new InboxTally(test.core, (body) => body.startsWith('msg-'));
const sentinel = new InboxTally(test.core, (body) => body === 'sentinel');
const udp = (await test.core.commands.getSnapshot({})).listening.find((l) => l.transport === 'udp')!;
print({ type: 'ready', address: udp.host, port: udp.port });

async function handle(command: {
  id: number;
  cmd: string;
  to?: string;
  count?: number;
  concurrency?: number;
  expect?: number;
  body?: string;
  timeoutMs?: number;
}): Promise<unknown> {
  if (command.cmd === 'waitFor') {
    await test.waitFor(command.body ? isIncoming(command.body) : isRegistration('registered'), command.timeoutMs);
    return {};
  }
  if (command.cmd === 'facts') {
    return {
      registrations: test.events.flatMap((e) => (e.type === 'registration' ? [{ state: e.state, reason: e.reason?.code }] : [])),
      received: test.events.flatMap((e) => (e.type === 'message' && e.direction === 'in' ? [e.body] : [])),
      keepAlive: keepAliveLog.slice(0, 50),
    };
  }
  if (command.cmd === 'send') {
    const report = await sendMany(test.core, command.to!, numberedBodies(command.count!), command.concurrency ?? 32);
    const last = await sendMany(test.core, command.to!, ['sentinel'], 1);
    const notDelivered = report.outcomes.filter((o) => o.state !== 'delivered');
    return {
      delivered: report.outcomes.length - notDelivered.length,
      notDelivered: notDelivered.slice(0, 20).map((o) => `${o.body}: ${o.state} ${o.code ?? ''} ${o.reason ? wordReason(o.reason) : ''}`),
      extraFinals: [...report.finalEventsPerId.values()].filter((n) => n !== 1).length,
      sentinel: last.outcomes[0]!.state,
      elapsedMs: report.elapsedMs,
      slowestMs: Math.max(...report.outcomes.map((o) => o.ms)),
    };
  }
  if (command.cmd === 'report') {
    // The sentinel went out after every other message was answered; datagrams over the veth keep
    // their order, so once it is here every copy of every earlier request has been handled.
    await sentinel.waitForCount(1, 60_000);
    return { received: inbox.received, ...inbox.check(numberedBodies(command.expect!)) };
  }
  throw new Error(`unknown command ${command.cmd}`);
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as { id: number; cmd: string };
  handle(command).then(
    (result) => print({ id: command.id, ...(result as object) }),
    (error: unknown) => print({ id: command.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
lines.on('close', () => {
  void test.stop().finally(() => process.exit(0));
});
