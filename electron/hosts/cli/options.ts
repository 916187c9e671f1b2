/**
 * Command-line options shared by every subcommand, turned into ParleyOptions.
 * The password may come from --password or, to keep it out of `ps`, from PARLEY_PASSWORD.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AccountConfig, ListenAddress } from '../../../shared/ipc.js';
import type { ParleyOptions } from '../compose.js';
import { dataDir, defaultDataDir } from '../data-dir.js';

export const USAGE = `Usage: parley <command> [options]

Commands:
  start                    open Parley (the desktop app, or the browser UI where Electron is not installed)
  listen                   register (with --proxy) and print every event as one JSON line, until Ctrl-C
  send <to-uri> <text>     send one MESSAGE; prints the outcome as one JSON line; exit 0 when delivered
  --jsonl                  read contract commands as JSON lines on stdin; write results and events on stdout

Options (every command):
  --aor <sip-uri>          your address, e.g. sip:alice@example.org
  --password <pw>          password (or set PARLEY_PASSWORD)
  --auth-user <name>       authentication user name, when it differs from the AOR's user
  --proxy <sip-uri>        outbound proxy / registrar; without it Parley works directly, peer to peer
  --transport udp|tcp|tls  transport towards the proxy (default udp)
  --tls-trust <pem-file>   trust this certificate (or CA) for a TLS server with a self-signed one
  --xcap-root <url>        keep the contact list on the server (XCAP root, e.g. http://127.0.0.1:5060/xcap-root)
  --msrp-relay <uri>       send chat sessions through this MSRP relay (e.g. msrps://sip.example.org:2856)
  --presence auto|direct|server  who serves your presence with a proxy: found by asking the server at
                           login (auto, the default), Parley itself (direct) or the server (server)
  --listen <host:port>     where to listen (port 0 = any free port; default 0.0.0.0:0)
  --data <dir>             data folder (default: PARLEY_DATA_DIR, else ${defaultDataDir()})
  --port <n>               (start) port of the browser UI (default: any free port)
  -h, --help               this text`;

/** The option that sets an account field (the field's name in kebab case, except where the option is shorter). */
function flagOf(field: string): string {
  if (field === 'presenceMode') return 'presence';
  return field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

export interface CliArgs {
  command: string | undefined;
  positionals: string[];
  jsonl: boolean;
  help: boolean;
  uiPort?: number;
  options: ParleyOptions;
}

export class CliError extends Error {}

function readTrust(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`--tls-trust: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        aor: { type: 'string' },
        password: { type: 'string' },
        'auth-user': { type: 'string' },
        proxy: { type: 'string' },
        transport: { type: 'string' },
        'tls-trust': { type: 'string' },
        'xcap-root': { type: 'string' },
        'msrp-relay': { type: 'string' },
        presence: { type: 'string' },
        listen: { type: 'string' },
        data: { type: 'string' },
        port: { type: 'string' },
        jsonl: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const options: ParleyOptions = { dataDir: dataDir(values.data, { env }) };
  if (values.listen !== undefined) {
    const listen = ListenAddress.safeParse(values.listen);
    if (!listen.success) throw new CliError(`--listen: ${listen.error.issues[0]?.message}`);
    options.listen = listen.data;
  }
  const password = values.password ?? env.PARLEY_PASSWORD;
  if (values.aor !== undefined) {
    const account = AccountConfig.safeParse({
      aor: values.aor,
      ...(values['auth-user'] !== undefined ? { authUser: values['auth-user'] } : {}),
      ...(values.proxy !== undefined ? { proxy: values.proxy } : {}),
      ...(values.transport !== undefined ? { transport: values.transport } : {}),
      ...(values['tls-trust'] !== undefined ? { tlsTrust: readTrust(values['tls-trust']) } : {}),
      ...(values['xcap-root'] !== undefined ? { xcapRoot: values['xcap-root'] } : {}),
      ...(values['msrp-relay'] !== undefined ? { msrpRelay: values['msrp-relay'] } : {}),
      ...(values.presence !== undefined ? { presenceMode: values.presence } : {}),
    });
    if (!account.success) {
      const issue = account.error.issues[0];
      throw new CliError(`--${flagOf(String(issue?.path[0] ?? 'aor'))}: ${issue?.message}`);
    }
    options.account = account.data;
    if (password !== undefined) options.password = password;
  } else if (values.proxy !== undefined || values['auth-user'] !== undefined) {
    throw new CliError('--proxy and --auth-user need --aor');
  } else if (values.transport !== undefined && !['udp', 'tcp', 'tls'].includes(values.transport)) {
    throw new CliError('--transport must be udp, tcp or tls');
  }
  let uiPort: number | undefined;
  if (values.port !== undefined) {
    uiPort = Number(values.port);
    if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65535) throw new CliError('--port must be a port number');
  }
  return {
    command: values.jsonl ? 'jsonl' : positionals[0],
    positionals: values.jsonl ? positionals : positionals.slice(1),
    jsonl: values.jsonl,
    help: values.help,
    ...(uiPort !== undefined ? { uiPort } : {}),
    options,
  };
}
