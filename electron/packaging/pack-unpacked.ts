/**
 * Packs the app the way `npm run dist` does (electron-builder.yml), as an unpacked Linux app with a
 * stand-in Electron (stand-in-electron.ts), for the packaging check. Two settings differ, and
 * only here: no `npmRebuild`, so node_modules' better-sqlite3 keeps the Node build the tests load
 * (rebuilding it for Electron needs Electron's headers, which cannot be downloaded everywhere), and
 * the output goes to a folder of the caller's. The production dependencies are read from
 * package-lock.json, as `npm run dist` does (lockfile-deps.ts). The desktop entry and the icon set that the AppImage and deb targets would install are computed
 * by electron-builder's own Linux helper after packing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, Platform, type Configuration, type LinuxPackager } from 'electron-builder';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper.js';
import { withLockfileDependencies } from './lockfile-deps.js';
import { makeStandInElectron } from './stand-in-electron.js';

export interface UnpackedApp {
  /** The app's folder (what electron-builder calls appOutDir). */
  appDir: string;
  asar: string;
  executable: string;
  /** The .desktop file's text. */
  desktopEntry: string;
  /** The icon sizes the Linux packages would install. */
  iconSizes: number[];
  /** The stand-in Electron folder (the caller removes it with outDir). */
  electronDist: string;
}

export async function packUnpackedLinux(root: string, outDir: string): Promise<UnpackedApp> {
  const electronVersion = JSON.parse(await readFile(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
  const electronDist = await makeStandInElectron(electronVersion);
  let desktopEntry = '';
  let iconSizes: number[] = [];
  let appDir = '';
  let executable = '';
  const config: Configuration = {
    extends: path.join(root, 'electron-builder.yml'),
    electronVersion,
    electronDist,
    npmRebuild: false,
    nodeGypRebuild: false,
    directories: { output: outDir },
    publish: null,
    afterPack: async (context) => {
      const packager = context.packager as LinuxPackager;
      const helper = new LinuxTargetHelper(packager);
      appDir = context.appOutDir;
      executable = path.join(context.appOutDir, packager.executableName);
      desktopEntry = await helper.computeDesktopEntry(packager.platformSpecificBuildOptions);
      iconSizes = (await helper.icons).map((icon) => icon.size);
    },
  };
  await withLockfileDependencies(() => build({ projectDir: root, targets: Platform.LINUX.createTarget('dir'), config }));
  return { appDir, asar: path.join(appDir, 'resources', 'app.asar'), executable, desktopEntry, iconSizes, electronDist };
}
