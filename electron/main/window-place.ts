/**
 * Windows open where they were: the remembered place (electron/hosts/electron/window-places.ts),
 * clamped to the displays there are now, and every move, resize, maximise and close noted again.
 */
import { screen, type BrowserWindow } from 'electron';
import { clampToDisplays, type WindowPlace, type WindowPlaces } from '../hosts/electron/window-places.js';

export function placeFor(places: WindowPlaces | null, key: string): WindowPlace | undefined {
  const saved = places?.get(key);
  return (
    saved &&
    clampToDisplays(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
    )
  );
}

export function trackPlace(window: BrowserWindow, key: string, places: WindowPlaces | null): void {
  if (!places) return;
  // The normal bounds: a maximised window comes back maximised over the size it had before.
  const note = () => {
    if (!window.isDestroyed()) places.note(key, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'close'] as const) window.on(event as 'resize', note);
  window.on('closed', () => places.flush());
}
