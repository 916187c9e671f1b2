// Finding the Kamailio install: the binary, kamcmd and the module directory (PARLEY_KAMAILIO,
// PARLEY_KAMCMD and PARLEY_KAMAILIO_MODULES override the search).
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const INSTALL_COMMAND = 'apt-get install kamailio kamailio-presence-modules kamailio-tls-modules kamailio-extra-modules';

export class KamailioMissingError extends Error {
  constructor(detail: string) {
    super(`${detail}. Install Kamailio 5.6 with: ${INSTALL_COMMAND}`);
    this.name = 'KamailioMissingError';
  }
}

const MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/kamailio/modules',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules',
  '/usr/lib64/kamailio/modules',
  '/usr/lib/kamailio/modules',
  '/usr/local/lib64/kamailio/modules',
  '/usr/local/lib/kamailio/modules',
];

export interface Installation {
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
