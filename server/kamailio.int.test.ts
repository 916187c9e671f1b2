// Integration tests of the bundled Kamailio: real kamailio, with sipp and sipsak as SIP peers.
// Every server and peer runs on free ports under a temporary directory; servers are stopped
// by PID in afterAll.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from './free-port.js';
import { startKamailio, type RunningServer } from './kamailio.js';
import { processGroupMembers } from './process-groups.js';
import { sippArgs, waitForUdpListener } from '../electron/testing/sipp.js';
import { RawWatcher } from '../electron/core/presence/notifier/testing/raw-watcher.js';

const SCENARIOS = fileURLToPath(new URL('./scenarios/', import.meta.url));
const DOMAIN = 'parley.test';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'parley-kamailio-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  output: string;
}

/** Run a command to completion (killed after timeoutMs), collecting stdout+stderr. */
function run(command: string, args: string[], timeoutMs = 15_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let traceCounter = 0;

/**
 * Run a sipp scenario against the server; resolves with sipp's exit code and the message
 * trace (every message sent and received). `keys` fill the scenario's [keyword]s.
 */
async function sipp(
  server: RunningServer,
  scenario: string,
  keys: Record<string, string>,
  opts: { port?: number; calls?: number; transport?: 'udp' | 'tcp'; auth?: [user: string, password: string] } = {},
): Promise<{ code: number | null; trace: string; output: string }> {
  const trace = join(work, `trace-${++traceCounter}.log`);
  const args = sippArgs({
    target: `${server.host}:${server.port}`,
    scenario: join(SCENARIOS, scenario),
    port: opts.port ?? (await freePort()),
    transport: opts.transport,
    calls: opts.calls ?? 1,
    timeoutSeconds: 10,
    traceFile: trace,
    keys,
    extra: opts.auth ? ['-au', opts.auth[0], '-ap', opts.auth[1]] : [],
  });
  const { code, output } = await run('sipp', args, 15_000);
  return { code, output, trace: await readFile(trace, 'utf8').catch(() => '') };
}

type SippOptions = Parameters<typeof sipp>[3];

/** A MESSAGE from alice to `to` (message-uac.xml, or `scenario` with the same keys). */
function messageFromAlice(
  server: RunningServer,
  to: string,
  body: string,
  { ctype = 'text/plain', scenario = 'message-uac.xml', ...opts }: SippOptions & { ctype?: string; scenario?: string } = {},
) {
  return sipp(server, scenario, { from: 'alice', to, domain: DOMAIN, ctype, body }, opts);
}

const PRESENCE = { event: 'presence', accept: 'application/pidf+xml' };
const WATCHER_INFO = { event: 'presence.winfo', accept: 'application/watcherinfo+xml' };

/** A SUBSCRIBE from `from` to `to`'s presence (subscribe.xml, or `scenario` with the same keys). */
function subscribe(
  server: RunningServer,
  from: string,
  to: string,
  { domain = DOMAIN, scenario = 'subscribe.xml', package: events = PRESENCE } = {},
) {
  return sipp(server, scenario, { from, to, domain, ...events });
}

/**
 * `from` SUBSCRIBEs to `to`'s presence on a raw socket until the answer and the first NOTIFY are
 * in, in whichever order they come (through topology hiding the NOTIFY can overtake the 200,
 * which the sipp watcher cannot always take): the answer's status and the NOTIFY as received.
 */
async function rawSubscribe(server: RunningServer, from: string, to: string): Promise<{ status: number; notify: string }> {
  const watcher = await RawWatcher.subscribe({ host: server.host, port: server.port, from, to, domain: DOMAIN, expires: 60 });
  try {
    await watcher.notified(1);
    return { status: Number(watcher.finalResponse()!.startLine.split(' ')[1]), notify: watcher.notifies()[0]!.text };
  } finally {
    watcher.close();
  }
}

/**
 * Start a sipp UAS that answers `calls` MESSAGEs on `port` and wait until it listens;
 * `done` settles when it exits (wrapped: an async function would flatten the promise).
 */
async function messageReceiver(server: RunningServer, port: number, calls = 1) {
  const done = sipp(server, 'receive-message.xml', {}, { port, calls });
  await waitForUdpListener(port);
  return { done };
}

/**
 * REGISTER `user` with sipsak. sipsak mangles 5-digit ports in the URIs it builds, so the
 * request goes to sip:user@localhost (a local domain on any port) with -r for the port.
 */
function sipsakRegister(server: RunningServer, user: string, contact: string, extra: string[] = []): Promise<Result> {
  return run('sipsak', ['-U', '-S', '-C', contact, '-x', '60', '-s', `sip:${user}@localhost`, '-r', String(server.port), '-vv', ...extra]);
}

/** Send OPTIONS with sipsak (From is sipsak's own address, not a local user). */
function sipsakOptions(server: RunningServer, target: string): Promise<Result> {
  return run('sipsak', ['-s', target, '-r', String(server.port), '-vv']);
}

/** Status codes of the responses in a sipp trace, in order. */
function statuses(trace: string): number[] {
  return [...trace.matchAll(/^SIP\/2\.0 (\d{3}) /gm)].map((m) => Number(m[1]));
}

/** The requests of a given method in a sipp trace (start line to end of body). */
function requests(trace: string, method: string): string[] {
  return trace.split(/^-{20,}.*$/m).filter((block) => new RegExp(`^${method} sip:`, 'm').test(block));
}

async function msiloStored(server: RunningServer): Promise<number> {
  const stats = await server.rpc('stats.get_statistics', 'msilo:stored_messages');
  return Number(/stored_messages = (\d+)/.exec(stats)?.[1] ?? NaN);
}

describe('Kamailio lifecycle', () => {
  it('starts, answers OPTIONS, and stop() leaves no process behind', async () => {
    const server = await startKamailio();
    onTestFinished(() => server.stop()); // also when an expectation below fails
    expect(processGroupMembers(server.pid).length).toBeGreaterThan(1);
    expect(server.uri('tcp')).toBe(`sip:127.0.0.1:${server.port};transport=tcp`);
    const options = await sipsakOptions(server, `sip:localhost`);
    expect(options.output).toMatch(/SIP\/2\.0 200/);

    await server.stop();
    expect(processGroupMembers(server.pid)).toEqual([]);
    expect(() => process.kill(server.pid, 0)).toThrow();
    expect(existsSync(server.dir)).toBe(false); // its temporary run dir is removed
    await server.stop(); // idempotent
  });

  it('rejects with the log when Kamailio cannot bind its port', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      // a failed start keeps its run dir for inspection: put it under the test's work dir
      await expect(startKamailio({ port, dir: join(work, 'bind-failure') })).rejects.toThrow(
        /Kamailio exited[\s\S]*last log lines:[\s\S]*(bind|address)/i,
      );
    } finally {
      blocker.close();
    }
  });
});

describe('open server (no auth, every local user known)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startKamailio();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('accepts a REGISTER and keeps the binding', async () => {
    const contactPort = await freePort();
    const reg = await sipsakRegister(server, 'alice', `sip:alice@127.0.0.1:${contactPort}`);
    expect(reg.code).toBe(0);
    expect(await server.rpc('ul.lookup', 'location', 'alice')).toContain(`sip:alice@127.0.0.1:${contactPort}`);
  });

  it('relays a MESSAGE to the registered contact (UDP and TCP senders)', async () => {
    const bobPort = await freePort();
    const received = await messageReceiver(server, bobPort, 2);
    expect((await sipsakRegister(server, 'bob', `sip:bob@127.0.0.1:${bobPort}`)).code).toBe(0);

    const udp = await messageFromAlice(server, 'bob', 'hello bob over udp');
    expect(statuses(udp.trace)).toContain(200);
    const tcp = await messageFromAlice(server, 'bob', 'hello bob over tcp', { transport: 'tcp' });
    expect(statuses(tcp.trace)).toContain(200);

    const bob = await received.done;
    expect(bob.code).toBe(0);
    const messages = requests(bob.trace, 'MESSAGE');
    expect(messages.some((m) => m.includes('hello bob over udp'))).toBe(true);
    expect(messages.some((m) => m.includes('hello bob over tcp'))).toBe(true);
  });

  it('routes to a NATed client through the address its REGISTER came from', async () => {
    const natPort = await freePort();
    // private Contact, sent from natPort: the server must use the source address instead
    const reg = await run('sipsak', [
      '-U',
      '-S',
      '-l',
      String(natPort),
      '-C',
      'sip:erin@10.1.2.3:5060',
      '-x',
      '60',
      '-s',
      'sip:erin@localhost',
      '-r',
      String(server.port),
    ]);
    expect(reg.code).toBe(0);
    expect(await server.rpc('ul.lookup', 'location', 'erin')).toContain(`Received: sip:127.0.0.1:${natPort}`);

    const received = await messageReceiver(server, natPort);
    const sent = await messageFromAlice(server, 'erin', 'through the nat');
    expect(statuses(sent.trace)).toContain(200);
    expect(requests((await received.done).trace, 'MESSAGE')[0]).toContain('through the nat');
  });

  it('stores a MESSAGE for an offline user (202), never isComposing or IMDN, and delivers it on REGISTER', async () => {
    const storedBefore = await msiloStored(server);
    const text = await messageFromAlice(server, 'carol', 'see you later carol');
    expect(statuses(text.trace)).toContain(202);
    const composing = await messageFromAlice(
      server,
      'carol',
      '<?xml version="1.0"?><isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active</state></isComposing>',
      { ctype: 'application/im-iscomposing+xml' },
    );
    expect(statuses(composing.trace)).toContain(480);
    const imdn = await messageFromAlice(
      server,
      'carol',
      '<?xml version="1.0"?><imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>x1</message-id></imdn>',
      { ctype: 'message/imdn+xml' },
    );
    expect(statuses(imdn.trace)).toContain(480);
    expect(await msiloStored(server)).toBe(storedBefore + 1);

    const carolPort = await freePort();
    const received = await messageReceiver(server, carolPort);
    expect((await sipsakRegister(server, 'carol', `sip:carol@127.0.0.1:${carolPort}`)).code).toBe(0);
    const carol = await received.done;
    expect(carol.code).toBe(0);
    const [delivered] = requests(carol.trace, 'MESSAGE');
    expect(delivered).toContain('see you later carol');
    expect(delivered).toMatch(/^From: <sip:alice@parley\.test>/m);
    expect(delivered).toMatch(/^Content-Type: text\/plain/m);
  });

  it('answers PUBLISH and sends the published PIDF in the NOTIFY to a SUBSCRIBE', async () => {
    const pub = await sipp(server, 'publish.xml', { user: 'alice', domain: DOMAIN, note: 'in a meeting' });
    expect(pub.code).toBe(0);
    expect(statuses(pub.trace)).toContain(200);

    // subscribe through another local name of the same domain: one presentity per user
    const sub = await subscribe(server, 'bob', 'alice', { domain: 'localhost' });
    expect(sub.code).toBe(0);
    const [notify] = requests(sub.trace, 'NOTIFY');
    expect(notify).toMatch(/^Content-Type: application\/pidf\+xml/m);
    expect(notify).toContain('<note>in a meeting</note>');
    expect(notify).toMatch(/^Subscription-State: active/m);
  });

  it('handles in-dialog SUBSCRIBE: un-subscribing ends with a terminated NOTIFY', async () => {
    const sub = await subscribe(server, 'carol', 'alice', { scenario: 'subscribe-unsubscribe.xml' });
    expect(sub.code).toBe(0);
    const notifies = requests(sub.trace, 'NOTIFY');
    expect(notifies).toHaveLength(2);
    expect(notifies[0]).toMatch(/^Subscription-State: active/m);
    expect(notifies[1]).toMatch(/^Subscription-State: terminated/m);
    expect(requests(sub.trace, 'SUBSCRIBE')[1]).toMatch(/^SUBSCRIBE sip:127\.0\.0\.1:\d+/m);
  });

  it('serves presence.winfo (listing the watcher) and keeps running', async () => {
    const winfo = await subscribe(server, 'alice', 'alice', { package: WATCHER_INFO });
    expect(winfo.code).toBe(0);
    const [notify] = requests(winfo.trace, 'NOTIFY');
    expect(notify).toMatch(/^Content-Type: application\/watcherinfo\+xml/m);
    expect(notify).toMatch(/<watcher [^>]*>sip:bob@/);

    expect(processGroupMembers(server.pid)).toContain(server.pid);
    expect((await sipsakOptions(server, 'sip:localhost')).output).toMatch(/SIP\/2\.0 200/);
  });

  it('relays SUBSCRIBE to the devices of a "direct" presence user', async () => {
    await server.setPresenceMode('dave', 'direct');
    // not registered yet: the server holds the SUBSCRIBE itself (200 and a NOTIFY of what it
    // has for dave, which is nothing yet)
    const early = await rawSubscribe(server, 'bob', 'dave');
    expect(early.status).toBe(200);
    expect(early.notify).toMatch(/Subscription-State: active;expires=60\r\n/);

    const devicePort = await freePort();
    const device = sipp(
      server,
      'presence-device.xml',
      { user: 'dave', domain: DOMAIN, note: 'answered by the device' },
      { port: devicePort },
    );
    await waitForUdpListener(devicePort);
    expect((await sipsakRegister(server, 'dave', `sip:dave@127.0.0.1:${devicePort}`)).code).toBe(0);
    const watcher = await rawSubscribe(server, 'bob', 'dave');
    expect(watcher.status).toBe(200);
    expect(watcher.notify).toContain('<note>answered by the device</note>');
    expect((await device).code).toBe(0);

    // back to server mode: Kamailio answers (no published state, still a NOTIFY)
    await server.setPresenceMode('dave', 'server');
    const served = await rawSubscribe(server, 'bob', 'dave');
    expect(served.status).toBe(200);
    expect(served.notify).not.toContain('answered by the device');
  });
});

describe('server with digest auth, known users and TLS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startKamailio({
      auth: true,
      tls: true,
      users: [
        { user: 'alice', password: 'secret' },
        { user: 'bob', password: 'secret' },
      ],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('challenges REGISTER and refuses a wrong password', async () => {
    const reg = await sipsakRegister(server, 'alice', 'sip:alice@127.0.0.1:5999', ['-a', 'wrong']);
    expect(reg.code).not.toBe(0);
    expect(reg.output).toMatch(/SIP\/2\.0 401/);
    expect(reg.output).not.toMatch(/SIP\/2\.0 200/);
    expect(await server.rpc('ul.lookup', 'location', 'alice').catch((e: Error) => e.message)).not.toContain('5999');
  });

  it('accepts REGISTER with the right password', async () => {
    const reg = await sipsakRegister(server, 'alice', 'sip:alice@127.0.0.1:5999', ['-a', 'secret']);
    expect(reg.code).toBe(0);
    expect(await server.rpc('ul.lookup', 'location', 'alice')).toContain('sip:alice@127.0.0.1:5999');
  });

  it('challenges a MESSAGE from a local user with 407', async () => {
    const sent = await messageFromAlice(server, 'bob', 'no credentials');
    expect(statuses(sent.trace)).toContain(407);
    expect(sent.trace).toMatch(/^Proxy-Authenticate: Digest realm="parley\.test"/m);
  });

  it('stores an authenticated MESSAGE for an offline user and dumps it without a challenge', async () => {
    const sent = await messageFromAlice(server, 'bob', 'authenticated and stored', {
      scenario: 'message-uac-auth.xml',
      auth: ['alice', 'secret'],
    });
    expect(statuses(sent.trace)).toEqual([407, 202]);

    const bobPort = await freePort();
    const received = await messageReceiver(server, bobPort);
    const reg = await sipsakRegister(server, 'bob', `sip:bob@127.0.0.1:${bobPort}`, ['-a', 'secret']);
    expect(reg.code).toBe(0);
    const bob = await received.done;
    expect(bob.code).toBe(0);
    expect(requests(bob.trace, 'MESSAGE')[0]).toContain('authenticated and stored');
    // unregister so bob is offline again for the next test
    expect((await sipsakRegister(server, 'bob', `sip:bob@127.0.0.1:${bobPort}`, ['-a', 'secret', '-x', '0'])).code).toBe(0);
  });

  it('answers 404 for an unknown user and 480 for a known offline one', async () => {
    expect((await sipsakOptions(server, 'sip:zed@localhost')).output).toMatch(/SIP\/2\.0 404/);
    expect((await sipsakOptions(server, 'sip:bob@localhost')).output).toMatch(/SIP\/2\.0 480/);
  });

  it('answers OPTIONS over TLS with the generated certificate', async () => {
    expect(server.certFile).toBeTruthy();
    const ca = await readFile(server.certFile!);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.tlsPort!, ca, servername: 'localhost' }, () => {
        socket.write(
          [
            `OPTIONS sip:127.0.0.1:${server.tlsPort} SIP/2.0`,
            `Via: SIP/2.0/TLS 127.0.0.1:${socket.localPort};branch=z9hG4bK-tls-test;rport`,
            'Max-Forwards: 70',
            'From: <sip:probe@127.0.0.1>;tag=tls1',
            `To: <sip:127.0.0.1:${server.tlsPort}>`,
            'Call-ID: tls-test@127.0.0.1',
            'CSeq: 1 OPTIONS',
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n'),
        );
      });
      let data = '';
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString();
        if (data.includes('\r\n\r\n')) {
          socket.end();
          resolve(data);
        }
      });
      socket.on('error', reject);
      socket.setTimeout(5000, () => reject(new Error('TLS OPTIONS timed out')));
    });
    expect(reply).toMatch(/^SIP\/2\.0 200 /);
    expect(server.uri('tls')).toBe(`sip:127.0.0.1:${server.tlsPort};transport=tls`);
  });
});
