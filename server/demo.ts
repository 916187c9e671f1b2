// `npm run demo`: the bundled Kamailio and two Parleys, alice and bob, each served to the browser
// (the browser host, as `npm start` does where Electron is not installed) so a newcomer can chat and
// watch presence between two windows at once. Both accounts exist on the server, and each has the
// other as a contact, so each may see the other's presence without a question
// (electron/core/presence/notifier/authorization.ts). Everything lives in one temporary folder;
// Ctrl+C (SIGINT) or SIGTERM stops the Parleys and Kamailio and removes it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../electron/core/core.js';
import { silentLogger } from '../electron/support/logger.js';
import { startBrowserHost, type BrowserHost } from '../electron/hosts/browser/server.js';
import { createParley } from '../electron/hosts/compose.js';
import { startKamailio, type RunningServer } from './kamailio.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATIC_DIR = path.join(ROOT, 'dist', 'renderer');
const PASSWORD = 'secret';
const PEOPLE = [
  { user: 'alice', name: 'Alice' },
  { user: 'bob', name: 'Bob' },
] as const;

interface Running {
  dir: string;
  server?: RunningServer;
  parleys: { core: Core; host?: BrowserHost }[];
}

async function stopAll(running: Running): Promise<void> {
  for (const { core, host } of running.parleys) {
    await host?.close().catch(() => {});
    await core.stop().catch(() => {});
  }
  await running.server?.stop();
  await rm(running.dir, { recursive: true, force: true });
}

async function start(running: Running): Promise<void> {
  const server = await startKamailio({
    dir: path.join(running.dir, 'kamailio'),
    auth: true,
    users: PEOPLE.map(({ user }) => ({ user, password: PASSWORD })),
  });
  running.server = server;
  const aor = (user: string) => `sip:${user}@${server.domain}`;
  const lines: string[] = [];
  for (const person of PEOPLE) {
    const core = await createParley({ dataDir: path.join(running.dir, person.user), listen: '127.0.0.1:0', logger: silentLogger });
    const parley: Running['parleys'][number] = { core };
    running.parleys.push(parley);
    await core.commands.setAccount({
      account: { aor: aor(person.user), displayName: person.name, proxy: server.uri('udp'), transport: 'udp', registerExpires: 600 },
      password: PASSWORD,
    });
    for (const other of PEOPLE.filter((p) => p !== person)) {
      await core.commands.saveContact({ aor: aor(other.user), name: other.name, groups: [] });
    }
    parley.host = await startBrowserHost({ core, host: '127.0.0.1', staticDir: STATIC_DIR, logger: silentLogger });
    lines.push(`  ${person.user.padEnd(6)} ${aor(person.user).padEnd(24)} ${parley.host.url}`);
  }
  console.log(
    [
      '',
      `Parley demo: Kamailio (pid ${server.pid}) at ${server.uri('udp')}, domain ${server.domain}; password "${PASSWORD}" for both.`,
      'Open each address in a window of its own (one browser is fine):',
      ...lines,
      "They have each other as contacts: the Contacts tab shows the other one's presence; set your",
      'status from the top of the left column, and chat from a contact or "New chat".',
      `Everything is in ${running.dir} (removed on exit).`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  if (!existsSync(path.join(STATIC_DIR, 'index.html'))) {
    console.error(`demo: the interface is not built (${STATIC_DIR}/index.html is missing): run npm run build:renderer, or npm run demo`);
    process.exit(1);
  }
  const running: Running = { dir: await mkdtemp(path.join(os.tmpdir(), 'parley-demo-')), parleys: [] };
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo ...`);
    void stopAll(running).then(
      () => {
        console.log('demo stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`demo: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await start(running);
  } catch (error) {
    await stopAll(running).catch(() => {});
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

void main();
