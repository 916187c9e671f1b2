/**
 * The tray's pictures as SVG, one per presence state, drawn at 16 px (the @2x files are the same
 * drawing at 32 px). Each state has its own colour (the renderer's, renderer/src/styles.css) and
 * its own shape, so a state never rests on colour alone: online a filled disc with a check mark,
 * away a disc with clock hands, busy a disc with a bar, offline an empty ring. The macOS template
 * is the app's speech bubble in black on transparent: macOS recolours it for light and dark menu bars.
 */
export const TRAY_STATES = ['online', 'away', 'busy', 'offline'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

const COLOURS: Record<TrayState, string> = {
  online: '#1c7c45',
  away: '#a86a00',
  busy: '#c0362c',
  offline: '#6b7280',
};

const MARKS: Record<TrayState, string> = {
  online:
    '<path d="M4.6 8.2l2.3 2.3 4.5-4.8" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>',
  away: '<path d="M8 4.2V8h3" fill="none" stroke="#fff" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"/>',
  busy: '<rect x="4" y="7" width="8" height="2.2" rx="1" fill="#fff"/>',
  offline: '',
};

function svg16(body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">${body}</svg>`;
}

export function trayIconSvg(state: TrayState): string {
  const colour = COLOURS[state];
  const disc =
    state === 'offline'
      ? `<circle cx="8" cy="8" r="5.6" fill="none" stroke="${colour}" stroke-width="2"/>`
      : `<circle cx="8" cy="8" r="7" fill="${colour}"/>`;
  return svg16(disc + MARKS[state]);
}

/** The bubble of assets/icon.svg, simplified to read at 16 px. */
export function trayTemplateSvg(): string {
  return svg16(
    '<path d="M2 4.2C2 3 3 2 4.2 2h7.6C13 2 14 3 14 4.2v4.6C14 10 13 11 11.8 11H7l-3 2.6V11h-.1C2.8 11 2 10 2 8.8z" fill="#000"/>',
  );
}
