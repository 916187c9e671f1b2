/**
 * `npm run icons`: every icon the packages and the tray use, made from one source,
 * assets/icon.svg (1024 px), and written into assets/ to be committed, so packaging needs no
 * image tools:
 *   assets/icon.png            1024 px: the window, notifications, and the build's fallback
 *   assets/icons/NxN.png       the Linux set (electron-builder takes the folder; hicolor sizes)
 *   assets/icon.ico            Windows (NSIS installer and the .exe)
 *   assets/icon.icns           macOS
 *   assets/tray/<state>.png, <state>@2x.png   16 and 32 px, one per presence state (tray-glyphs.ts)
 *   assets/tray/trayTemplate.png, trayTemplate@2x.png   the macOS menu-bar template
 * SVG is drawn by resvg at each size (sharper than scaling one bitmap down); png2icons builds the
 * .ico and .icns containers from the 1024 px picture.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';
import { TRAY_STATES, trayIconSvg, trayTemplateSvg } from './tray-glyphs.js';

export const SOURCE_SIZE = 1024;
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const TRAY_SIZE = 16;

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function renderPng(svg: string, width: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } }).render().asPng();
}

/** Writes every generated file under <root>/assets; returns their paths relative to root. */
export async function generateIcons(root: string = defaultRoot): Promise<string[]> {
  const assets = path.join(root, 'assets');
  const source = await readFile(path.join(assets, 'icon.svg'), 'utf8');
  const files = new Map<string, Buffer>();
  const big = renderPng(source, SOURCE_SIZE);
  files.set('icon.png', big);
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, size === SOURCE_SIZE ? big : renderPng(source, size));
  const ico = png2icons.createICO(big, png2icons.BICUBIC2, 0, true, true);
  const icns = png2icons.createICNS(big, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not build icon.ico / icon.icns from the 1024 px picture');
  files.set('icon.ico', ico);
  files.set('icon.icns', icns);
  const tray: [string, string][] = [
    ...TRAY_STATES.map((state) => [state, trayIconSvg(state)] as [string, string]),
    ['trayTemplate', trayTemplateSvg()],
  ];
  for (const [name, svg] of tray) {
    files.set(`tray/${name}.png`, renderPng(svg, TRAY_SIZE));
    files.set(`tray/${name}@2x.png`, renderPng(svg, TRAY_SIZE * 2));
  }
  for (const [name, bytes] of files) {
    const file = path.join(assets, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
  return [...files.keys()].map((name) => `assets/${name}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  generateIcons().then(
    (written) => console.log(`icons: wrote ${written.length} files\n  ${written.join('\n  ')}`),
    (error: unknown) => {
      console.error(`icons: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
