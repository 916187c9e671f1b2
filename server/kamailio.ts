// Start and stop the bundled Kamailio (server/kamailio.cfg) for `npm run server`, the
// integration tests and the end-to-end tests.
//
// Every run lives in one directory (a new temporary one unless `dir` is given):
//   kamailio.cfg       copy of the template     parley-defs.cfg  generated per-run values
//   db/                db_text tables           tls/             self-signed cert (TLS only)
//   kamailio.pid       kamailio_ctl (RPC socket for kamcmd)
// Kamailio runs in the foreground (-DD -E) in its own process group, logs to our pipes, and is
// stopped by PID (SIGTERM, then SIGKILL for the whole group after a grace period).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP, isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeDbText, type Row } from './dbtext.js';
import { killGroupOnExit, release } from './exit-guard.js';
import { freePort } from './free-port.js';
import { processGroupMembers } from './process-groups.js';

export { processGroupMembers };

const execFileAsync = promisify(execFile);

export interface ServerUser {
  user: string;
  password: string;
  /** Who answers SUBSCRIBE for this user's presence: Kamailio (default) or the user's own devices. */
  presence?: PresenceMode;
}

export type PresenceMode = 'server' | 'direct';

export interface ServerOptions {
  /** Run directory; default a new temporary directory (removed again by stop() unless keepDir). */
  dir?: string;
  /** Keep the temporary run directory after stop() (a given `dir` is never removed). */
  keepDir?: boolean;
  /** Canonical SIP domain; default 'parley.test'. The listen IP and 'localhost' are local too. */
  domain?: string;
  /** More local domain names. */
  aliases?: string[];
  /** Listen IP; default '127.0.0.1'. */
  host?: string;
  /** UDP+TCP port; 0 or undefined = a free port usable for both. */
  port?: number;
  /** TLS port (implies tls); default a free port when tls is on. */
  tlsPort?: number;
  tls?: boolean;
  /** Digest authentication against the given users. */
  auth?: boolean;
  /**
   * Shared memory in MB (default 256). tm keeps each finished transaction ~5 s at ~14 KB, so 64 MB
   * sustains only ~900 MESSAGE/s; 256 MB sustains several thousand.
   */
  shmMb?: number;
  /** Seconds a digest nonce stays fresh (default 300); tests shorten it to see stale=true. */
  nonceExpire?: number;
  /** Digest algorithm the challenges ask for (RFC 8760); default MD5. */
  authAlgorithm?: 'MD5' | 'SHA-256';
  /** Known users; when empty (and auth is off) every user of a local domain is known. */
  users?: ServerUser[];
  /** Kamailio log level (debug=): 1 notice, 2 info (default), 3 debug. */
  debug?: number;
  /** Each line Kamailio writes to stdout/stderr. */
  onLog?: (line: string) => void;
  /** How long to wait for the first 200 to OPTIONS; default 20 s. */
  startTimeoutMs?: number;
}

export interface RunningServer {
  pid: number;
  domain: string;
  host: string;
  port: number;
  tlsPort?: number;
  dir: string;
  /** PEM certificate of the TLS listener (trust it as a CA). */
  certFile?: string;
  /** Proxy URI, e.g. sip:127.0.0.1:5060;transport=tcp (no transport parameter when omitted). */
  uri(transport?: 'udp' | 'tcp' | 'tls'): string;
  /** Run a Kamailio RPC command through kamcmd and the run directory's control socket. */
  rpc(method: string, ...params: string[]): Promise<string>;
  /** Switch who serves a user's presence ('direct' = relay SUBSCRIBE to the user's devices). */
  setPresenceMode(user: string, mode: PresenceMode): Promise<void>;
  /** The most recent log lines. */
  logs(): string[];
  /** Settles when the Kamailio main process has exited (for whatever reason) with its exit code or signal. */
  exited: Promise<number | string | null>;
  /** SIGTERM by PID, then SIGKILL after a grace period; resolves when every process is gone. */
  stop(): Promise<void>;
}

const INSTALL_COMMAND = 'apt-get install kamailio kamailio-presence-modules kamailio-tls-modules kamailio-extra-modules';

export class KamailioMissingError extends Error {
  constructor(detail: string) {
    super(`${detail}. Install Kamailio 5.6 with: ${INSTALL_COMMAND}`);
    this.name = 'KamailioMissingError';
  }
}

const TEMPLATE = fileURLToPath(new URL('./kamailio.cfg', import.meta.url));
const MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/kamailio/modules',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules',
  '/usr/lib64/kamailio/modules',
  '/usr/lib/kamailio/modules',
  '/usr/local/lib64/kamailio/modules',
  '/usr/local/lib/kamailio/modules',
];
const LOG_LINES_KEPT = 200;
const STOP_GRACE_MS = 5000;
const SIMPLE_TOKEN = /^[A-Za-z0-9._-]+$/;

interface Installation {
  binary: string;
  kamcmd?: string;
  modules: string;
}

/** Find an executable on PATH plus the sbin directories (often missing from PATH). */
function findExecutable(name: string, override?: string): string | undefined {
  if (override) return existsSync(override) ? override : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Locate kamailio, kamcmd and the module directory; throws KamailioMissingError. */
export function findKamailio(needTls = false): Installation {
  const binary = findExecutable('kamailio', process.env.PARLEY_KAMAILIO);
  if (!binary) throw new KamailioMissingError('kamailio was not found on PATH or in /usr/sbin');
  const candidates = process.env.PARLEY_KAMAILIO_MODULES
    ? [process.env.PARLEY_KAMAILIO_MODULES]
    : [...MODULE_DIRS, join(dirname(binary), '..', 'lib', 'kamailio', 'modules')];
  const modules = candidates.find((dir) => existsSync(join(dir, 'tm.so')));
  if (!modules) throw new KamailioMissingError('the Kamailio module directory was not found');
  const required = ['presence.so', 'presence_xml.so', 'msilo.so', 'db_text.so', ...(needTls ? ['tls.so'] : [])];
  const missing = required.filter((module) => !existsSync(join(modules, module)));
  if (missing.length) {
    throw new KamailioMissingError(`Kamailio modules missing in ${modules}: ${missing.join(', ')}`);
  }
  return { binary, kamcmd: findExecutable('kamcmd', process.env.PARLEY_KAMCMD), modules };
}

/** `#!substdef` line: defines NAME and substitutes it inside quoted strings too. */
function substdef(name: string, value: string): string {
  const sep = ['!', '|', '%', '~', '^', '#'].find((c) => !value.includes(c));
  if (!sep || /["\r\n]/.test(value)) throw new Error(`cannot pass ${name}=${value} to the Kamailio config`);
  return `#!substdef "${sep}${name}${sep}${value}${sep}"`;
}

function hostForUri(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

/** Create the self-signed certificate for the TLS listener unless the run dir has one. */
async function ensureCertificate(tlsDir: string, domain: string, host: string): Promise<string> {
  const certFile = join(tlsDir, 'cert.pem');
  const keyFile = join(tlsDir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) return certFile;
  await mkdir(tlsDir, { recursive: true });
  const names = [`DNS:${domain}`, 'DNS:localhost', isIP(host) ? `IP:${host}` : `DNS:${host}`];
  if (host !== '127.0.0.1') names.push('IP:127.0.0.1');
  try {
    await execFileAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      `/CN=${domain}`,
      '-addext',
      `subjectAltName=${[...new Set(names)].join(',')}`,
    ]);
  } catch (error) {
    throw new Error(`openssl could not create the TLS certificate: ${(error as Error).message}`);
  }
  return certFile;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Send OPTIONS over UDP until the server answers 200 (or `isDead()` / the deadline). */
async function waitForOptions(host: string, port: number, deadline: number, isDead: () => boolean): Promise<boolean> {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  let answered = false;
  socket.on('message', (data) => {
    if (data.toString('latin1').startsWith('SIP/2.0 200')) answered = true;
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  const localPort = socket.address().port;
  const h = hostForUri(host);
  try {
    while (!answered && !isDead() && Date.now() < deadline) {
      const tag = randomBytes(6).toString('hex');
      const request = [
        `OPTIONS sip:${h}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${h}:${localPort};branch=z9hG4bK-probe-${tag};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@${h}>;tag=${tag}`,
        `To: <sip:${h}:${port}>`,
        `Call-ID: probe-${tag}@${h}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, host);
      for (let waited = 0; waited < 250 && !answered; waited += 25) await delay(25);
    }
  } finally {
    socket.close();
  }
  return answered;
}

/** Write the run directory: config, defs, db_text tables, certificate. */
async function prepareRunDir(
  dir: string,
  install: Installation,
  settings: {
    domain: string;
    aliases: string[];
    host: string;
    port: number;
    tlsPort?: number;
    auth: boolean;
    authAlgorithm: string;
    nonceExpire: number;
    users: ServerUser[];
    debug: number;
  },
): Promise<string | undefined> {
  const { domain, host, port, tlsPort, users } = settings;
  const h = hostForUri(host);
  const certFile = tlsPort ? await ensureCertificate(join(dir, 'tls'), domain, host) : undefined;

  const rows: Record<string, Row[]> = {
    subscriber: users.map((u) => [u.user, domain, u.password, '', '']),
    htable: users.filter((u) => u.presence === 'direct').map((u) => [u.user, 0, 0, 'direct', 0]),
  };
  await writeDbText(join(dir, 'db'), rows);

  const defs = [
    '# Generated by server/kamailio.ts for this run; do not edit.',
    substdef('PARLEY_MPATH', install.modules.endsWith('/') ? install.modules : `${install.modules}/`),
    substdef('PARLEY_RUNDIR', dir),
    substdef('PARLEY_DBURL', `text://${join(dir, 'db')}`),
    substdef('PARLEY_LISTEN_UDP', `udp:${h}:${port}`),
    substdef('PARLEY_LISTEN_TCP', `tcp:${h}:${port}`),
    ...(tlsPort ? [substdef('PARLEY_LISTEN_TLS', `tls:${h}:${tlsPort}`)] : []),
    substdef('PARLEY_ALIASES', [...new Set(settings.aliases)].join(' ')),
    substdef('PARLEY_DOMAIN', domain),
    substdef('PARLEY_SELF_HOST', h),
    substdef('PARLEY_SELF_PORT', String(port)),
    `#!define PARLEY_DEBUG ${settings.debug}`,
    ...(settings.auth ? ['#!define WITH_AUTH'] : []),
    substdef('PARLEY_AUTH_ALGORITHM', settings.authAlgorithm),
    `#!define PARLEY_NONCE_EXPIRE ${Math.max(1, Math.round(settings.nonceExpire))}`,
    ...(users.length ? ['#!define WITH_USERS'] : []),
    ...(tlsPort ? ['#!define WITH_TLS'] : []),
    '',
  ];
  await writeFile(join(dir, 'parley-defs.cfg'), defs.join('\n'));
  await copyFile(TEMPLATE, join(dir, 'kamailio.cfg'));
  return certFile;
}

/** Start Kamailio; resolves once it answers OPTIONS over UDP with 200. */
export async function startKamailio(options: ServerOptions = {}): Promise<RunningServer> {
  const tls = Boolean(options.tls || options.tlsPort);
  const install = findKamailio(tls);
  const domain = options.domain ?? 'parley.test';
  const host = options.host ?? '127.0.0.1';
  const users = options.users ?? [];
  for (const name of [domain, host, ...(options.aliases ?? [])]) {
    if (!SIMPLE_TOKEN.test(name) && !isIP(name)) throw new Error(`invalid domain or host: ${name}`);
  }
  if (host === '0.0.0.0' || host === '::') {
    // Kamailio would put the wildcard address in Via and Record-Route headers
    throw new Error(`listen on a specific address, not ${host} (for example the machine's LAN IP)`);
  }
  for (const u of users) {
    if (!SIMPLE_TOKEN.test(u.user)) throw new Error(`invalid user name: ${u.user}`);
  }

  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'parley-kamailio-')));
  const removeDirOnStop = !options.dir && !options.keepDir;
  await mkdir(dir, { recursive: true });
  if (/["\r\n]/.test(dir) || join(dir, 'kamailio_ctl').length > 100) {
    throw new Error(`run directory path unusable (quotes or too long for a unix socket): ${dir}`);
  }
  const port = options.port || (await freePort(host));
  const tlsPort = tls ? options.tlsPort || (await freePort(host)) : undefined;
  // Local domains match on any port. The listen IP is local anyway on our own ports; aliasing
  // it on every port would make each client contact on that IP look like this server (and
  // loose_route would then take in-dialog requests for strict-routed ones), so only its
  // default port is added, for port-less URIs such as sip:bob@127.0.0.1.
  const ipAlias = isIP(host) && port !== 5060 ? [`${hostForUri(host)}:5060`] : [];
  const aliases = [domain, 'localhost', ...ipAlias, ...(options.aliases ?? [])];
  const certFile = await prepareRunDir(dir, install, {
    domain,
    aliases,
    host,
    port,
    tlsPort,
    auth: Boolean(options.auth),
    authAlgorithm: options.authAlgorithm ?? 'MD5',
    nonceExpire: options.nonceExpire ?? 300,
    users,
    debug: options.debug ?? 2,
  });

  const args = [
    '-DD',
    '-E',
    '-m',
    String(options.shmMb ?? 256),
    '-M',
    '8',
    '-f',
    join(dir, 'kamailio.cfg'),
    '-P',
    join(dir, 'kamailio.pid'),
    '-Y',
    dir,
    '-w',
    dir,
  ];
  const child: ChildProcess = spawn(install.binary, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    if (lines.length > LOG_LINES_KEPT) lines.shift();
    options.onLog?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  let exitCode: number | string | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      if (child.pid) release(child.pid);
      resolve();
    });
    child.once('error', (error) => {
      exitCode = error.message;
      resolve();
    });
  });
  const isDead = (): boolean => exitCode !== undefined;
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new Error(`could not run ${install.binary}: ${String(exitCode)}`);
  }
  killGroupOnExit(pid, 'Kamailio');

  // a negative target signals the whole process group (Kamailio runs detached as its leader)
  const sendSignal = (target: number, signal: NodeJS.Signals): void => {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  };
  const stopProcesses = async (): Promise<void> => {
    if (!isDead()) {
      sendSignal(pid, 'SIGTERM');
      await Promise.race([exited, delay(STOP_GRACE_MS)]);
      if (!isDead()) {
        sendSignal(-pid, 'SIGKILL');
        await exited;
      }
    }
    // Kamailio's children follow the main process out; kill stragglers after a grace period
    const deadline = Date.now() + STOP_GRACE_MS;
    while (processGroupMembers(pid).length > 0) {
      if (Date.now() > deadline + 2000) throw new Error(`Kamailio (pid ${pid}) left processes behind`);
      if (Date.now() > deadline) sendSignal(-pid, 'SIGKILL');
      await delay(50);
    }
    release(pid);
  };
  const stop = async (): Promise<void> => {
    await stopProcesses();
    if (removeDirOnStop) await rm(dir, { recursive: true, force: true });
  };

  const timeout = options.startTimeoutMs ?? 20_000;
  const ready = await waitForOptions(host, port, Date.now() + timeout, isDead);
  if (!ready) {
    const why = isDead() ? `exited (${String(exitCode)})` : `did not answer OPTIONS within ${timeout} ms`;
    await stopProcesses(); // the run dir stays for inspection
    const tail = lines.slice(-30).join('\n');
    throw new Error(`Kamailio ${why}; run dir ${dir}; last log lines:\n${tail}`);
  }

  const rpc = async (method: string, ...params: string[]): Promise<string> => {
    if (!install.kamcmd) throw new KamailioMissingError('kamcmd was not found');
    const { stdout } = await execFileAsync(install.kamcmd, ['-s', `unix:${join(dir, 'kamailio_ctl')}`, method, ...params]);
    return stdout;
  };

  const server: RunningServer = {
    pid,
    domain,
    host,
    port,
    tlsPort,
    dir,
    certFile,
    uri(transport) {
      const h = hostForUri(host);
      if (!transport) return `sip:${h}:${port}`;
      if (transport === 'tls') {
        if (!tlsPort) throw new Error('this server has no TLS listener');
        return `sip:${h}:${tlsPort};transport=tls`;
      }
      return `sip:${h}:${port};transport=${transport}`;
    },
    rpc,
    async setPresenceMode(user, mode) {
      if (mode === 'direct') await rpc('htable.sets', 'presmode', user, 'direct');
      else await rpc('htable.delete', 'presmode', user);
    },
    logs: () => [...lines],
    exited: exited.then(() => exitCode ?? null),
    stop,
  };
  return server;
}
