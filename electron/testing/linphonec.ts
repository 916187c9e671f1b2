/**
 * A real linphonec (Debian's linphone-cli, liblinphone 5.1) for interoperability tests: a temp HOME
 * (with the data directory liblinphone needs before the first chat), its own config file with a
 * free loopback UDP port (TCP/TLS off), commands on stdin, output read line by line from stdout
 * (line-buffered through stdbuf), stopped by PID.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../server/free-port.js';
import { tempDir } from './cores.js';
import { startProgram, type RunningProgram } from './program.js';

export const LINPHONEC_BINARY = process.env.PARLEY_LINPHONEC ?? '/usr/bin/linphonec';

export interface LinphonecOptions {
  user: string;
  password: string;
  domain: string;
  /** Registrar/proxy, e.g. sip:127.0.0.1:5060 */
  proxy: string;
  /** liblinphone log level for -d (default 0) and a log file (-l) for diagnosis. */
  logLevel?: number;
  logFile?: string;
  /** PUBLISH its presence (`status ...`) to the proxy's presence server. */
  publish?: boolean;
  /**
   * Send its own messages in CPIM, asking for IMDN receipts (liblinphone's account setting
   * cpim_in_basic_chat_rooms_enabled; off by default, when it sends plain text and asks for none).
   */
  cpim?: boolean;
}

export interface RunningLinphonec {
  program: RunningProgram;
  dir: string;
  sipPort: number;
  aor: string;
  /** Send one command line on stdin. */
  send(line: string): void;
  /** `chat <uri> <text>` */
  chat(to: string, text: string): void;
  stop(): Promise<void>;
}

export async function startLinphonec(options: LinphonecOptions): Promise<RunningLinphonec> {
  if (!fs.existsSync(LINPHONEC_BINARY)) throw new Error(`linphonec not found at ${LINPHONEC_BINARY} (apt-get install linphone-cli)`);
  const dir = tempDir('parley-linphonec-');
  const home = path.join(dir, 'home');
  // liblinphone keeps its chat database here and fails the first chat when it is missing
  fs.mkdirSync(path.join(home, '.local', 'share', 'linphone'), { recursive: true });
  fs.mkdirSync(path.join(home, '.config'), { recursive: true });
  const sipPort = await freePort();
  const aor = `sip:${options.user}@${options.domain}`;
  const rc = path.join(dir, 'linphonerc');
  fs.writeFileSync(
    rc,
    [
      '[sip]',
      `sip_port=${sipPort}`,
      'sip_tcp_port=0',
      'sip_tls_port=0',
      'bind_address=127.0.0.1',
      'default_proxy=0',
      'use_ipv6=0',
      'ipv6_migration_done=1',
      '[net]',
      'enable_ipv6=0',
      // The account, as `register <identity> <proxy> <password>` would make it, plus a route: without
      // one liblinphone sends a MESSAGE for sip:x@<domain> to the domain's DNS, not to the proxy.
      '[proxy_0]',
      `reg_proxy=${options.proxy}`,
      `reg_route=${options.proxy};lr`,
      `reg_identity=${aor}`,
      'reg_expires=600',
      'reg_sendregister=1',
      `publish=${options.publish ? 1 : 0}`,
      'dial_escape_plus=0',
      // Read through linphone_config_get_default_int, i.e. from the section's "_default_values" twin.
      '[proxy_default_values]',
      `cpim_in_basic_chat_rooms_enabled=${options.cpim ? 1 : 0}`,
      '[auth_info_0]',
      `username=${options.user}`,
      `passwd=${options.password}`,
      `domain=${options.domain}`,
      `realm=${options.domain}`,
      '',
    ].join('\n'),
  );
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
  };
  const args = ['-c', rc, '-d', String(options.logLevel ?? 0), ...(options.logFile ? ['-l', options.logFile] : [])];
  const useStdbuf = fs.existsSync('/usr/bin/stdbuf');
  const program = useStdbuf
    ? startProgram('linphonec', '/usr/bin/stdbuf', ['-oL', '-eL', LINPHONEC_BINARY, ...args], { cwd: dir, env, stdin: 'pipe' })
    : startProgram('linphonec', LINPHONEC_BINARY, args, { cwd: dir, env, stdin: 'pipe' });
  program.child.stdin?.on('error', () => undefined);
  const send = (line: string): void => program.write(`${line}\n`);
  const stop = async (): Promise<void> => {
    if (program.child.exitCode === null && program.child.signalCode === null) {
      // `quit` unregisters; SIGTERM (then SIGKILL) by PID follows if it does not exit in time
      try {
        send('quit');
      } catch {
        // stdin already closed
      }
      await Promise.race([program.exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    }
    await program.stop(3000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // linphonec prints nothing when the registration succeeds: ask `proxy list` until it says so.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const from = program.lines.length;
      send('proxy list');
      const state = await program.waitForLine(/registered: (yes|no)$/, { from, timeoutMs: 5000 });
      if (state.endsWith('yes')) break;
      if (Date.now() > deadline) throw new Error(`linphonec did not register within 15 s; output:\n${program.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // poll interval
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { program, dir, sipPort, aor, send, chat: (to, text) => send(`chat ${to} ${text}`), stop };
}
