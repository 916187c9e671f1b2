/**
 * Where each window was: size, position and whether maximised, per window key ('main',
 * 'conversation:<id>'), kept in `<data folder>/windows.json` (read through zod, a bad file means
 * none remembered). A place is put back only where a display can show it (`clampToDisplays`):
 * a monitor unplugged since must not leave a window off screen. No Electron import.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../support/logger.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

export const WINDOW_PLACES_FILE = 'windows.json';
/** Conversation windows each have a place; the oldest are forgotten past this many. */
const MAX_PLACES = 32;
/** How much of a window must lie on a display for it to count as visible there (px). */
const VISIBLE_MIN = 64;

const Size = z.number().int().min(1).max(100_000);
const Coordinate = z.number().int().min(-100_000).max(100_000);
export const WindowPlace = z.object({ x: Coordinate, y: Coordinate, width: Size, height: Size, maximized: z.boolean() });
export type WindowPlace = z.infer<typeof WindowPlace>;
const PlacesFile = z.record(z.string().max(200), WindowPlace);

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlap = (a: Rect, b: Rect) => ({
  width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

/**
 * The place as it can be shown on these displays' work areas: kept where enough of it is on one,
 * else moved onto the display it overlaps most (the first when none), shrunk to fit its work area.
 */
export function clampToDisplays(place: WindowPlace, workAreas: readonly Rect[]): WindowPlace {
  if (workAreas.length === 0) return place;
  const scored = workAreas.map((area) => ({ area, seen: overlap(place, area) }));
  const visible = scored.find(
    ({ seen }) => seen.width >= Math.min(VISIBLE_MIN, place.width) && seen.height >= Math.min(VISIBLE_MIN, place.height),
  );
  if (visible) return { ...place, ...fit(place, visible.area, false) };
  const best = scored.reduce((a, b) =>
    Math.max(0, b.seen.width) * Math.max(0, b.seen.height) > Math.max(0, a.seen.width) * Math.max(0, a.seen.height) ? b : a,
  );
  return { ...place, ...fit(place, best.area, true) };
}

/** Shrunk to the area; `inside`: moved entirely into it (else only the size changes). */
function fit(place: Rect, area: Rect, inside: boolean): Rect {
  const width = Math.min(place.width, area.width);
  const height = Math.min(place.height, area.height);
  if (!inside) return { x: place.x, y: place.y, width, height };
  const x = Math.min(Math.max(place.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(place.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

export interface WindowPlaces {
  get(key: string): WindowPlace | undefined;
  /** Note where a window is now; written after `delayMs` of quiet (moves come in bursts). */
  note(key: string, place: WindowPlace): void;
  /** Write what was noted now (a window closed, the app quits). */
  flush(): void;
}

export function openWindowPlaces(options: { dataDir: string; delayMs?: number; logger?: Logger }): WindowPlaces {
  const file = path.join(options.dataDir, WINDOW_PLACES_FILE);
  const places = new Map(Object.entries(readJsonFile(file, PlacesFile, {}, options.logger)));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirty = false;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!dirty) return;
    dirty = false;
    try {
      writeJsonFile(file, Object.fromEntries(places));
    } catch (error) {
      options.logger?.warn('could not save the window places', { error });
    }
  };
  return {
    get: (key) => places.get(key),
    note(key, place) {
      places.delete(key);
      places.set(key, place);
      for (const oldest of places.keys()) {
        if (places.size <= MAX_PLACES) break;
        places.delete(oldest);
      }
      dirty = true;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, options.delayMs ?? 500);
    },
    flush,
  };
}
