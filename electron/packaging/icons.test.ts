// The committed icons (npm run icons) have the sizes each platform asks for, and are current.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINUX_SIZES, renderPng, SOURCE_SIZE, TRAY_SIZE } from './icons.js';
import { TRAY_STATES, trayIconSvg, trayTemplateSvg } from './tray-glyphs.js';

const ASSETS = path.resolve(import.meta.dirname, '..', '..', 'assets');
const read = (name: string) => readFileSync(path.join(ASSETS, name));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** The square sizes in an .ico's directory (a 0 byte means 256). */
function icoSizes(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(2)).toBe(1);
  return Array.from({ length: bytes.readUInt16LE(4) }, (_, i) => bytes[6 + 16 * i] || 256);
}

/** The element types of an .icns file. */
function icnsTypes(bytes: Buffer): string[] {
  expect(bytes.toString('latin1', 0, 4)).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const types: string[] = [];
  for (let at = 8; at < bytes.length; at += bytes.readUInt32BE(at + 4)) types.push(bytes.toString('latin1', at, at + 4));
  return types;
}

describe('generated icons', () => {
  it('has the 1024 px picture and the Linux set', () => {
    expect(pngSize(read('icon.png'))).toEqual([SOURCE_SIZE, SOURCE_SIZE]);
    for (const size of LINUX_SIZES) expect(pngSize(read(`icons/${size}x${size}.png`))).toEqual([size, size]);
  });

  it('has a Windows .ico from 16 to 256 px', () => {
    expect(icoSizes(read('icon.ico'))).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('has a macOS .icns up to 1024 px (ic10) with the Retina sizes', () => {
    expect(icnsTypes(read('icon.icns'))).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14']));
  });

  it('has a tray picture per presence state and the macOS template, at 16 px and @2x', () => {
    for (const name of [...TRAY_STATES, 'trayTemplate']) {
      expect(pngSize(read(`tray/${name}.png`))).toEqual([TRAY_SIZE, TRAY_SIZE]);
      expect(pngSize(read(`tray/${name}@2x.png`))).toEqual([TRAY_SIZE * 2, TRAY_SIZE * 2]);
    }
  });

  it('tells the states apart by shape, not by colour alone', () => {
    const shapes = TRAY_STATES.map((state) => trayIconSvg(state).replace(/#[0-9a-f]{6}/g, '#colour'));
    expect(new Set(shapes).size).toBe(TRAY_STATES.length);
  });

  it('is current: the committed files are what npm run icons draws now', () => {
    const source = read('icon.svg').toString('utf8');
    expect(read('icons/16x16.png').equals(renderPng(source, 16))).toBe(true);
    expect(read('tray/busy@2x.png').equals(renderPng(trayIconSvg('busy'), 32))).toBe(true);
    expect(read('tray/trayTemplate.png').equals(renderPng(trayTemplateSvg(), 16))).toBe(true);
  });
});
