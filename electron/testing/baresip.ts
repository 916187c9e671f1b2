/**
 * A real baresip (Debian's baresip-core, 1.0) for interoperability tests: its own config dir in a
 * temp folder, free loopback ports (SIP, and SIP+1 which baresip binds for TLS; ctrl_tcp), driven
 * through the ctrl_tcp module (netstring JSON), stopped by PID.
 *
 * baresip 1.0 has no "send a MESSAGE to this URI" command: the contact module's `message` command
 * sends to the *current contact*, so the contacts file holds exactly the peer to write to.
 * Incoming MESSAGEs are printed by the menu module as `<from>: "<body>"` through ui_output, which
 * reaches no terminal here (stdin is not a tty): the cons module's TCP console carries it, and its
 * lines are added to the program's lines prefixed `cons: `.
 */
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { freePort, isPortFree } from '../../server/free-port.js';
import { tempDir } from './cores.js';
import { startProgram, type RunningProgram } from './program.js';

export const BARESIP_BINARY = process.env.PARLEY_BARESIP ?? '/usr/bin/baresip';
const MODULE_PATH = process.env.PARLEY_BARESIP_MODULES ?? '/usr/lib/baresip/modules';

export interface BaresipOptions {
  user: string;
  password: string;
  domain: string;
  /** Outbound proxy, e.g. sip:127.0.0.1:5060 */
  proxy: string;
  /** The one contact the `message` command writes to. */
  contact: string;
  /** Load the presence module and watch the contact's presence (it logs "changed status from X to Y"). */
  presence?: boolean;
}

export interface CtrlResponse {
  response: true;
  ok: boolean;
  data: string;
  token?: string;
}

export interface RunningBaresip {
  program: RunningProgram;
  dir: string;
  sipPort: number;
  ctrlPort: number;
  aor: string;
  /** Run a ctrl_tcp command (the long-command names of `/help`), resolves with its response. */
  command(command: string, params?: string): Promise<CtrlResponse>;
  /** ctrl_tcp events (JSON objects with event: true) seen so far. */
  events: Record<string, unknown>[];
  stop(): Promise<void>;
}

async function sipPortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port < 65535 && (await isPortFree(port + 1))) return port;
  }
  throw new Error('no free port pair for baresip (SIP on N, TLS on N+1)');
}

function netstring(text: string): string {
  return `${Buffer.byteLength(text)}:${text},`;
}

export async function startBaresip(options: BaresipOptions): Promise<RunningBaresip> {
  if (!fs.existsSync(BARESIP_BINARY)) throw new Error(`baresip not found at ${BARESIP_BINARY} (apt-get install baresip-core)`);
  const dir = tempDir('parley-baresip-');
  const sipPort = await sipPortPair();
  const ctrlPort = await freePort();
  const consPort = await freePort();
  const aor = `sip:${options.user}@${options.domain}`;
  const config = [
    'poll_method\t\tepoll',
    `sip_listen\t\t127.0.0.1:${sipPort}`,
    'sip_trans_def\t\tudp',
    'audio_player\t\taufile,/dev/null',
    'audio_source\t\tausine,440',
    `module_path\t\t${MODULE_PATH}`,
    'module\t\t\tg711.so',
    'module\t\t\tausine.so',
    'module\t\t\taufile.so',
    'module_app\t\taccount.so',
    'module_app\t\tcontact.so',
    'module_app\t\tmenu.so',
    'module_app\t\tctrl_tcp.so',
    ...(options.presence ? ['module_app\t\tpresence.so'] : []),
    'module\t\t\tcons.so',
    `cons_listen\t\t127.0.0.1:${consPort}`,
    `ctrl_tcp_listen\t\t127.0.0.1:${ctrlPort}`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'config'), config);
  fs.writeFileSync(path.join(dir, 'accounts'), `<${aor}>;auth_pass=${options.password};outbound="${options.proxy}";regint=600\n`);
  fs.writeFileSync(path.join(dir, 'contacts'), `"peer" <${options.contact}>${options.presence ? ';presence=p2p' : ''}\n`);

  const program = startProgram('baresip', BARESIP_BINARY, ['-4', '-f', dir], { cwd: dir });
  const events: Record<string, unknown>[] = [];
  let socket: net.Socket | undefined;
  let consoleSocket: net.Socket | undefined;
  const stop = async (): Promise<void> => {
    socket?.destroy();
    consoleSocket?.destroy();
    await program.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await program.waitForLine(/baresip is ready/);
    socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(ctrlPort, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    // The cons module prints ui_output (incoming MESSAGEs among it) to its TCP client.
    consoleSocket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(consPort, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    consoleSocket.on('error', () => undefined);
    createInterface({ input: consoleSocket }).on('line', (line) => program.pushLine(`cons: ${line}`));
  } catch (error) {
    await stop();
    throw error;
  }
  const ctrl = socket;
  ctrl.on('error', () => undefined);
  const pending = new Map<string, (r: CtrlResponse) => void>();
  let buffer = Buffer.alloc(0);
  ctrl.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length + 1) return;
      const json = buffer.subarray(colon + 1, colon + 1 + length).toString();
      buffer = buffer.subarray(colon + 1 + length + 1);
      const object = JSON.parse(json) as Record<string, unknown>;
      if (object.response && typeof object.token === 'string') pending.get(object.token)?.(object as unknown as CtrlResponse);
      else if (object.event) events.push(object);
    }
  });
  let nextToken = 1;
  const command = (name: string, params?: string): Promise<CtrlResponse> => {
    const token = String(nextToken++);
    return new Promise<CtrlResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(token);
        reject(new Error(`baresip: no ctrl_tcp response to ${name} within 5 s; output:\n${program.output()}`));
      }, 5000);
      pending.set(token, (response) => {
        clearTimeout(timer);
        pending.delete(token);
        resolve(response);
      });
      ctrl.write(netstring(JSON.stringify({ command: name, ...(params !== undefined ? { params } : {}), token })));
    });
  };
  return { program, dir, sipPort, ctrlPort, aor, command, events, stop };
}
