import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clampToDisplays, openWindowPlaces, WINDOW_PLACES_FILE } from './window-places.js';

const screen = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };
const place = { x: 100, y: 80, width: 900, height: 650, maximized: false };

describe('clampToDisplays', () => {
  it('keeps a place a display shows, on any display', () => {
    expect(clampToDisplays(place, [screen])).toEqual(place);
    expect(clampToDisplays({ ...place, x: 2000 }, [screen, right])).toEqual({ ...place, x: 2000 });
  });

  it('brings back a window from an unplugged display, and shrinks one larger than the screen', () => {
    expect(clampToDisplays({ ...place, x: 2500 }, [screen])).toEqual({ ...place, x: 1020 });
    expect(clampToDisplays({ ...place, x: -5000, y: -5000 }, [screen])).toEqual({ ...place, x: 0, y: 0 });
    expect(clampToDisplays({ x: 10, y: 10, width: 4000, height: 3000, maximized: true }, [screen])).toEqual({
      x: 10,
      y: 10,
      width: 1920,
      height: 1040,
      maximized: true,
    });
  });

  it('counts a window barely on screen as lost', () => {
    expect(clampToDisplays({ ...place, x: 1900 }, [screen])).toEqual({ ...place, x: 1020 });
  });
});

describe('window places', () => {
  const folders: string[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
  });
  const folder = () => {
    const made = mkdtempSync(path.join(os.tmpdir(), 'parley-places-'));
    folders.push(made);
    return made;
  };

  it('writes once moves settle, and reads them back', () => {
    vi.useFakeTimers();
    const dataDir = folder();
    const places = openWindowPlaces({ dataDir, delayMs: 500 });
    places.note('main', { ...place, x: 1 });
    places.note('main', place);
    expect(() => readFileSync(path.join(dataDir, WINDOW_PLACES_FILE))).toThrow();
    vi.advanceTimersByTime(500);
    expect(openWindowPlaces({ dataDir }).get('main')).toEqual(place);
    places.note('conversation:c1', { ...place, maximized: true });
    places.flush();
    expect(openWindowPlaces({ dataDir }).get('conversation:c1')?.maximized).toBe(true);
  });

  it('takes a bad file for none remembered', () => {
    const dataDir = folder();
    writeFileSync(path.join(dataDir, WINDOW_PLACES_FILE), JSON.stringify({ main: { ...place, width: 'wide' } }));
    expect(openWindowPlaces({ dataDir }).get('main')).toBeUndefined();
    writeFileSync(path.join(dataDir, WINDOW_PLACES_FILE), 'not json');
    expect(openWindowPlaces({ dataDir }).get('main')).toBeUndefined();
  });
});
