// Start and stop the bundled Kamailio (server/kamailio.cfg) for `npm run server`, the
// integration tests and the end-to-end tests. Every run lives in one directory (a new temporary
// one unless `dir` is given); the parts are in kamailio/: finding the install (install.ts), the
// TLS certificate (certificate.ts), the run directory (run-dir.ts), the process (process.ts) and
// the probe that says it is up (probe.ts).
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { findKamailio, KamailioMissingError } from './kamailio/install.js';
import { waitForOptions } from './kamailio/probe.js';
import { runKamailio } from './kamailio/process.js';
import { DUMP_IP, makeRunDir, writeRunDir, type ClusterNodeSettings } from './kamailio/run-dir.js';
import { hostForUri } from './kamailio/uri-host.js';

const execFileAsync = promisify(execFile);

export interface ServerUser {
  user: string;
  password: string;
  /**
   * Who answers SUBSCRIBE for this user's presence, set by the administrator: the user's own
   * devices ('direct'), Kamailio whatever the devices register with ('server': what the user's
   * clients PUBLISH, as a standard presence server), or Kamailio from the user's registrations
   * ('registration': online while registered, for clients that never PUBLISH). Absent ('devices'):
   * the devices' REGISTERs decide (server/README.md).
   */
  presence?: PresenceMode;
}

export type PresenceMode = 'server' | 'direct' | 'registration' | 'devices';

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
  /**
   * The MSRP relay (RFC 4976, Kamailio's msrp module) for this server's users, on a TCP port of its
   * own and, with tls, a TLS one; default true. AUTH is digest-checked like SIP when auth is on.
   */
  msrpRelay?: boolean;
  /** What the relay grants an AUTH, in seconds (default 3600; a test of renewal makes it short). */
  msrpExpires?: number;
  /** Digest authentication against the given users. */
  auth?: boolean;
  /**
   * Shared memory in MB (default 256). tm keeps each finished transaction ~5 s at ~14 KB, so 64 MB
   * sustains only ~900 MESSAGE/s; 256 MB sustains several thousand.
   */
  shmMb?: number;
  /**
   * Private memory of each Kamailio process in MB; default 8 MB and four times tcpReadBufferBytes.
   * xcap_server keeps a buffer of tcpReadBufferBytes in every process, reading a stored document
   * copies it, and the resource list server reads the states of a whole list into it: with a 4 MiB
   * buffer and 8 MB, a list of 5,000 was refused (XCAP 500, "no more space to allocate for query
   * rows") and its states went unsent.
   */
  pkgMb?: number;
  /** Seconds a digest nonce stays fresh (default 300); tests shorten it to see stale=true. */
  nonceExpire?: number;
  /** Digest algorithm the challenges ask for (RFC 8760); default MD5. */
  authAlgorithm?: 'MD5' | 'SHA-256';
  /** Known users; when empty (and auth is off) every user of a local domain is known. */
  users?: ServerUser[];
  /**
   * Whether the server pings its NATed UDP clients (nathelper OPTIONS every 30 s; default true).
   * false: a server that leaves keeping the NAT binding open to its clients, as many do.
   */
  natPing?: boolean;
  /**
   * Topology hiding (topos; default true): what the server relays names no device's address. Its
   * rows live in db_text tables, scanned row by row, which costs the relay milliseconds per
   * message under load; the benchmarks, which measure clients, turn it off.
   */
  topologyHiding?: boolean;
  /**
   * The resource list server (rls, RFC 4662; default true): a SUBSCRIBE with "Supported:
   * eventlist" to a list URI in the user's rls-services XCAP document gets one subscription for
   * the whole list. false: such a SUBSCRIBE gets 404, as from a server without RLS.
   */
  rls?: boolean;
  /**
   * Watcher authorisation by each user's pres-rules XCAP document (RFC 5025; default false): the
   * presence server shows what a user publishes only to watchers the user's rules allow, an
   * offline document to those they polite-block, and keeps everyone else pending. false: every
   * watcher of a server-served user is active (presence_xml force_active), as before pres-rules.
   */
  presRules?: boolean;
  /**
   * Bytes Kamailio reads of one TCP message (default 96 KiB: a SIP message of Parley's largest and
   * more). An XCAP document is read into the same buffer: lists of thousands need more (1 MiB holds
   * some 20,000 contacts); each connection may take this much shared memory.
   */
  tcpReadBufferBytes?: number;
  /** Run as one node of a cluster (server/cluster/start-cluster.ts starts them). */
  cluster?: ClusterNodeSettings;
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
  /** The MSRP relay's TCP port, and its TLS port when the server has TLS (absent without the relay). */
  msrpPort?: number;
  msrpsPort?: number;
  dir: string;
  /** PEM certificate of the TLS listener (trust it as a CA). */
  certFile?: string;
  /** Proxy URI, e.g. sip:127.0.0.1:5060;transport=tcp (no transport parameter when omitted). */
  uri(transport?: 'udp' | 'tcp' | 'tls'): string;
  /**
   * The XCAP root URI (RFC 4825), served over HTTP on the SIP TCP port (HTTPS on the TLS port
   * with 'https'): e.g. http://127.0.0.1:5060/xcap-root
   */
  xcapRoot(scheme?: 'http' | 'https'): string;
  /** Whether the resource list server is on (options.rls). */
  rls: boolean;
  /** Run a Kamailio RPC command through kamcmd and the run directory's control socket. */
  rpc(method: string, ...params: string[]): Promise<string>;
  /**
   * Switch who serves a user's presence ('direct' = relay SUBSCRIBE to the user's devices; 'server' =
   * Kamailio, whatever the devices say; 'registration' = online while registered, from the next
   * REGISTER; 'devices' = the devices' REGISTERs decide again).
   */
  setPresenceMode(user: string, mode: PresenceMode): Promise<void>;
  /** The most recent log lines. */
  logs(): string[];
  /** Settles when the Kamailio main process has exited (for whatever reason) with its exit code or signal. */
  exited: Promise<number | string | null>;
  /** SIGTERM by PID, then SIGKILL after a grace period; resolves when every process is gone. */
  stop(): Promise<void>;
}

const SIMPLE_TOKEN = /^[A-Za-z0-9._-]+$/;

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

  const tcpReadBufferBytes = options.tcpReadBufferBytes ?? 98_304;
  const dir = await makeRunDir(options.dir);
  const removeDirOnStop = !options.dir && !options.keepDir;
  const port = options.port || (await freePort(host));
  const tlsPort = tls ? options.tlsPort || (await freePort(host)) : undefined;
  const dumpPort = await freePort(DUMP_IP);
  const msrpPort = options.msrpRelay === false ? undefined : await freePort(host);
  const msrpsPort = msrpPort && tls ? await freePort(host) : undefined;
  // Local domains match on any port. The listen IP is local anyway on our own ports; aliasing
  // it on every port would make each client contact on that IP look like this server (and
  // loose_route would then take in-dialog requests for strict-routed ones), so only its
  // default port is added, for port-less URIs such as sip:bob@127.0.0.1.
  const ipAlias = isIP(host) && port !== 5060 ? [`${hostForUri(host)}:5060`] : [];
  const aliases = [domain, 'localhost', ...ipAlias, ...(options.aliases ?? [])];
  const certFile = await writeRunDir(dir, install, {
    domain,
    aliases,
    host,
    port,
    dumpPort,
    tlsPort,
    msrpPort,
    msrpsPort,
    msrpExpires: options.msrpExpires ?? 3600,
    auth: Boolean(options.auth),
    authAlgorithm: options.authAlgorithm ?? 'MD5',
    nonceExpire: options.nonceExpire ?? 300,
    users,
    debug: options.debug ?? 2,
    natPingInterval: options.natPing === false ? 0 : 30,
    topologyHiding: options.topologyHiding ?? true,
    rls: options.rls ?? true,
    presRules: options.presRules ?? false,
    tcpReadBufferBytes,
    cluster: options.cluster,
  });

  const pkgMb = options.pkgMb ?? 8 + Math.ceil((4 * tcpReadBufferBytes) / 2 ** 20);
  const kamailio = await runKamailio(install.binary, dir, { shmMb: options.shmMb ?? 256, pkgMb, onLog: options.onLog });
  const stop = async (): Promise<void> => {
    await kamailio.stop();
    if (removeDirOnStop) await rm(dir, { recursive: true, force: true });
  };

  const timeout = options.startTimeoutMs ?? 20_000;
  const isDead = (): boolean => kamailio.exitReason() !== undefined;
  const ready = await waitForOptions(host, port, Date.now() + timeout, isDead);
  if (!ready) {
    const why = isDead() ? `exited (${String(kamailio.exitReason())})` : `did not answer OPTIONS within ${timeout} ms`;
    await kamailio.stop(); // the run dir stays for inspection
    const tail = kamailio.lines.slice(-30).join('\n');
    throw new Error(`Kamailio ${why}; run dir ${dir}; last log lines:\n${tail}`);
  }

  const rpc = async (method: string, ...params: string[]): Promise<string> => {
    if (!install.kamcmd) throw new KamailioMissingError('kamcmd was not found');
    const { stdout } = await execFileAsync(install.kamcmd, ['-s', `unix:${join(dir, 'kamailio_ctl')}`, method, ...params]);
    return stdout;
  };

  const server: RunningServer = {
    pid: kamailio.pid,
    domain,
    host,
    port,
    tlsPort,
    msrpPort,
    msrpsPort,
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
    xcapRoot(scheme = 'http') {
      const h = hostForUri(host);
      if (scheme === 'http') return `http://${h}:${port}/xcap-root`;
      if (!tlsPort) throw new Error('this server has no TLS listener');
      return `https://${h}:${tlsPort}/xcap-root`;
    },
    rls: options.rls ?? true,
    rpc,
    async setPresenceMode(user, mode) {
      if (mode === 'devices') await rpc('htable.delete', 'presmode', user);
      else await rpc('htable.sets', 'presmode', user, mode);
    },
    logs: () => [...kamailio.lines],
    exited: kamailio.exited.then(() => kamailio.exitReason() ?? null),
    stop,
  };
  return server;
}
