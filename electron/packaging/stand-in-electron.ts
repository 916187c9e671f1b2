/**
 * A stand-in for Electron's Linux distribution, for packaging where the real one cannot be
 * downloaded (its zip comes from outside the npm registry). electron-builder copies an unpacked
 * `electronDist` folder as the app's folder, renames `electron` to the app's executable and
 * writes resources/app.asar beside it (app-builder-lib's electron/ElectronFramework.js); nothing
 * else in the folder is read for a `dir` target. The "executable" only says what it is.
 */
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const STAND_IN_MARK = 'Parley packaging check: stand-in for the Electron executable';

export async function makeStandInElectron(version: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-electron-stand-in-'));
  await mkdir(path.join(dir, 'resources'));
  const executable = path.join(dir, 'electron');
  await writeFile(executable, `#!/bin/sh\necho "${STAND_IN_MARK}" >&2\nexit 1\n`);
  await chmod(executable, 0o755);
  await writeFile(path.join(dir, 'version'), version);
  await writeFile(path.join(dir, 'LICENSE'), "Stand-in: the real distribution carries Electron's license here.\n");
  return dir;
}
