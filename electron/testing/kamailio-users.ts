/**
 * For an integration test file: one bundled Kamailio with digest auth and the given users (all
 * with the password "secret"), started before the file's tests, and Parley cores registered at it
 * over UDP. Everything started through it is stopped after the file, even when a test failed.
 */
import { afterAll, beforeAll } from 'vitest';
import type { AccountConfig } from '../../shared/ipc.js';
import { freePort } from '../../server/free-port.js';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { isRegistration, startCore, type TestCore } from './cores.js';

export const USER_PASSWORD = 'secret';

/** The server's accounts for these user names, each with the test password. */
export const serverUsers = (users: readonly string[]) => users.map((user) => ({ user, password: USER_PASSWORD }));

type CoreOptions = Omit<NonNullable<Parameters<typeof startCore>[0]>, 'account'>;

/** The account of `user` at `server` over UDP (a test may spread its own fields over it). */
export function testAccount(server: RunningServer, user: string): AccountConfig {
  return { aor: `sip:${user}@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 };
}

/** A Parley for `user` at `server`, once it is registered (stopped again if it never is). */
export async function registeredCore(
  server: RunningServer,
  user: string,
  options: CoreOptions & { account?: Partial<AccountConfig> } = {},
): Promise<TestCore> {
  const { account, ...rest } = options;
  const core = await startCore({ ...rest, account: { ...testAccount(server, user), ...account } });
  try {
    await core.waitFor(isRegistration('registered'));
  } catch (error) {
    await core.stop();
    throw error;
  }
  return core;
}

export function kamailioWithUsers(users: readonly string[]) {
  let server: RunningServer | undefined;
  const started: { stop(): Promise<unknown> }[] = [];
  beforeAll(async () => {
    server = await startKamailio({ auth: true, users: serverUsers(users), port: await freePort() });
  });
  afterAll(async () => {
    await Promise.all(started.map((thing) => thing.stop().catch(() => {})));
    await server?.stop();
  });
  const running = (): RunningServer => {
    if (!server) throw new Error('the server starts in beforeAll: use it inside a test');
    return server;
  };
  return {
    get server(): RunningServer {
      return running();
    },
    /** Stopped after the file with the rest. */
    add<T extends { stop(): Promise<unknown> }>(thing: T): T {
      started.push(thing);
      return thing;
    },
    /** A registered Parley for `user` (password "secret" unless the options say otherwise). */
    parley: async (user: string, options: CoreOptions & { account?: Partial<AccountConfig> } = {}): Promise<TestCore> => {
      const core = await registeredCore(running(), user, { password: USER_PASSWORD, ...options });
      started.push(core);
      return core;
    },
  };
}
