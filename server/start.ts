// `npm run server`: run the bundled Kamailio in the foreground for trying Parley by hand.
//
//   npm run server -- [--domain parley.test] [--host 127.0.0.1] [--port 5060]
//                     [--tls] [--tls-port 5061] [--auth] [--user alice:secret ...]
//                     [--direct alice ...] [--registration dave ...] [--server-presence erin ...] [--pres-rules] [--dir DIR] [--debug 2] [--quiet]
//
// Prints where to point clients, then Kamailio's log lines prefixed with "[kamailio]".
// Ctrl-C (SIGINT) or SIGTERM stops Kamailio cleanly.
import { parseArgs } from 'node:util';
import { isPortFree } from './free-port.js';
import { startKamailio, type ServerUser } from './kamailio.js';
import { KamailioMissingError } from './kamailio/install.js';

const USAGE = `Usage: npm run server -- [options]

  --domain NAME      SIP domain (default parley.test; localhost and the listen IP are local too)
  --host IP          listen address (default 127.0.0.1)
  --port N           UDP+TCP port (default 5060, or a free port if 5060 is taken)
  --tls              also listen for TLS (self-signed certificate made in the run dir)
  --tls-port N       TLS port (default 5061, or a free port; implies --tls)
  --auth             require digest authentication
  --auth-algorithm A MD5 (default) or SHA-256 (RFC 8760)
  --user NAME:PASS   a known user (repeatable; with --auth and no --user: alice, bob, carol / secret)
  --direct NAME      NAME's own devices answer SUBSCRIBE for its presence (repeatable)
  --registration NAME  NAME's presence comes from its registrations: online while registered,
                     for clients that never PUBLISH (repeatable)
  --server-presence NAME  Kamailio serves NAME's presence whatever NAME's devices register with,
                     as a standard presence server does (repeatable)
  --pres-rules       watchers of server-served users are authorised by each user's pres-rules
                     XCAP document (Parley writes it: allowed and blocked watchers, contacts);
                     without one a watcher stays pending
  --dir DIR          run directory (default: a new temporary directory)
  --debug N          Kamailio log level (default 2 = info, 3 = debug)
  --quiet            do not print Kamailio's log lines
  --help             this text`;

function fail(message: string): never {
  console.error(`error: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${flag} needs a port number, got "${value}"`);
  return port;
}

function parseUser(spec: string): ServerUser {
  const at = spec.indexOf(':');
  const user = at < 0 ? spec : spec.slice(0, at);
  const password = at < 0 ? 'secret' : spec.slice(at + 1);
  if (!/^[A-Za-z0-9._-]+$/.test(user)) fail(`bad user name in --user ${spec}`);
  return { user, password };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        domain: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        tls: { type: 'boolean' },
        'tls-port': { type: 'string' },
        auth: { type: 'boolean' },
        'auth-algorithm': { type: 'string' },
        user: { type: 'string', multiple: true },
        direct: { type: 'string', multiple: true },
        registration: { type: 'string', multiple: true },
        'server-presence': { type: 'string', multiple: true },
        'pres-rules': { type: 'boolean' },
        dir: { type: 'string' },
        debug: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }

  const host = args.host ?? '127.0.0.1';
  const tlsPortFlag = parsePort(args['tls-port'], '--tls-port');
  const tls = Boolean(args.tls || tlsPortFlag);
  // well-known ports by default, a free one when they are taken
  const port = parsePort(args.port, '--port') ?? ((await isPortFree(5060, host)) ? 5060 : undefined);
  const tlsPort = tls ? (tlsPortFlag ?? ((await isPortFree(5061, host)) ? 5061 : undefined)) : undefined;
  let users = (args.user ?? []).map(parseUser);
  if (args.auth && users.length === 0) {
    users = ['alice', 'bob', 'carol'].map((user) => ({ user, password: 'secret' }));
  }
  const modes = [
    ...(args.direct ?? []).map((name) => ({ name, mode: 'direct' as const })),
    ...(args.registration ?? []).map((name) => ({ name, mode: 'registration' as const })),
    ...(args['server-presence'] ?? []).map((name) => ({ name, mode: 'server' as const })),
  ];
  for (const { name, mode } of modes) {
    const existing = users.find((u) => u.user === name);
    if (existing) existing.presence = mode;
    else if (users.length > 0) fail(`--${mode} ${name}: not one of the --user names`);
  }
  const debug = args.debug === undefined ? 2 : Number(args.debug);

  let server;
  try {
    server = await startKamailio({
      dir: args.dir,
      domain: args.domain,
      host,
      port,
      tls,
      tlsPort,
      auth: Boolean(args.auth),
      ...(args['auth-algorithm'] === 'SHA-256' || args['auth-algorithm'] === 'MD5' ? { authAlgorithm: args['auth-algorithm'] } : {}),
      users,
      debug,
      presRules: Boolean(args['pres-rules']),
      onLog: args.quiet ? undefined : (line) => console.log(`[kamailio] ${line}`),
    });
  } catch (error) {
    if (error instanceof KamailioMissingError) {
      console.error(`error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // open server: "direct" and "registration" users need no user list, set them at runtime
  if (users.length === 0) {
    for (const { name, mode } of modes) await server.setPresenceMode(name, mode);
  }

  const domain = server.domain;
  const userList = users.length
    ? users.map((u) => `${u.user}/${u.password}${u.presence && u.presence !== 'server' ? ` (${u.presence} presence)` : ''}`).join(', ')
    : `any user of ${domain} (open server)`;
  // With auth on, the hint carries the password of the user it names.
  const pw = (i: number) => (args.auth && users[i] ? ` --password ${users[i]!.password}` : '');
  console.log(
    [
      '',
      `Parley Kamailio is running (pid ${server.pid})`,
      `  domain    ${domain}  (also accepted: localhost, ${server.host})`,
      `  UDP       ${server.uri('udp')}`,
      `  TCP       ${server.uri('tcp')}`,
      ...(server.tlsPort ? [`  TLS       ${server.uri('tls')}  (certificate ${server.certFile})`] : []),
      `  XCAP      ${server.xcapRoot()}  (contact lists; resource lists for sip:<user>+buddies@${domain})`,
      `  auth      ${args.auth ? 'digest (401 for REGISTER, 407 for requests from local users)' : 'off'}`,
      `  users     ${userList}`,
      `  run dir   ${server.dir}${args.dir ? '' : ' (temporary: removed when stopped; use --dir to keep state)'}`,
      '',
      'Point a client at it, for example:',
      `  npx parley listen --aor sip:alice@${domain}${pw(0)} --proxy ${server.uri()} --xcap-root ${server.xcapRoot()}`,
      `  npx parley send sip:alice@${domain} hello --aor sip:bob@${domain}${pw(1)} --proxy '${server.uri('tcp')}' --transport tcp`,
      ...(server.tlsPort
        ? [
            `  npx parley listen --aor sip:bob@${domain}${pw(1)} --proxy '${server.uri('tls')}' --transport tls --tls-trust ${server.certFile}`,
          ]
        : []),
      '',
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Kamailio (pid ${server.pid})...`);
    await server.stop();
    console.log('Kamailio stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  const code = await server.exited;
  if (!stopping) {
    console.error(`Kamailio exited unexpectedly (${String(code)}); last log lines:\n${server.logs().slice(-20).join('\n')}`);
    await server.stop();
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
