import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE, logDir, openHostLog, type HostLog } from './host-log.js';

let dataDir: string;
let log: HostLog | undefined;
const terminalLines: string[] = [];
const terminal = { write: (line: string) => terminalLines.push(line) > 0 } as unknown as NodeJS.WritableStream;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-host-log-'));
  terminalLines.length = 0;
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const fileLines = async (name = LOG_FILE) =>
  (await readFile(path.join(logDir(dataDir), name), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('openHostLog', () => {
  it('writes info and above to <data>/logs/parley.log (owner only), warnings and errors to the terminal', async () => {
    log = openHostLog({ dataDir, env: {}, terminal });
    log.logger.debug('detail');
    log.logger.info('registered');
    log.logger.warn('server lost');
    await log.close();
    expect((await fileLines()).map((line) => line.msg)).toEqual(['registered', 'server lost']);
    expect(terminalLines.map((line) => JSON.parse(line).msg)).toEqual(['server lost']);
    expect((await stat(path.join(logDir(dataDir), LOG_FILE))).mode & 0o777).toBe(0o600);
  });

  it('PARLEY_LOG_LEVEL sets the level of the file and the terminal alike', async () => {
    log = openHostLog({ dataDir, env: { PARLEY_LOG_LEVEL: 'debug' }, terminal });
    log.logger.debug('detail');
    await log.close();
    expect((await fileLines()).map((line) => line.msg)).toEqual(['detail']);
    expect(terminalLines).toHaveLength(1);
  });

  it('rotates past the size limit, keeping the newest old files', async () => {
    log = openHostLog({ dataDir, env: {}, terminal: null, size: '1K', keep: 2 });
    const filler = 'x'.repeat(300);
    const rotations = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const rotated = once(log!.file!, 'rotated');
        // Each line is about 400 bytes: the third passes 1 KiB.
        for (let line = 0; line < 3; line++) log!.logger.info(`line ${i}.${line}`, { filler });
        await rotated;
      }
    };
    await rotations(3);
    log.logger.info('after');
    await log.close();
    expect((await readdir(logDir(dataDir))).sort()).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    expect((await fileLines()).map((line) => line.msg)).toEqual(['after']);
    expect((await fileLines(`${LOG_FILE}.1`)).map((line) => line.msg)).toEqual(['line 2.0', 'line 2.1', 'line 2.2']);
    expect((await fileLines(`${LOG_FILE}.2`)).map((line) => line.msg)).toEqual(['line 1.0', 'line 1.1', 'line 1.2']);
  });

  it('still logs to the terminal when the folder cannot be made', async () => {
    const blocked = path.join(dataDir, 'a-file');
    await writeFile(blocked, '');
    log = openHostLog({ dataDir: blocked, env: {}, terminal });
    expect(log.file).toBeNull();
    log.logger.error('still here');
    expect(terminalLines).toHaveLength(1);
  });
});
