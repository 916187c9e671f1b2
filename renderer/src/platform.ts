/**
 * What the page can do in its host, the DOM way: save a file (a Blob URL and a download link,
 * which both the browser host and Electron's download handling take) and open another window
 * (only in the browser host: the Electron shell denies window.open by policy).
 */

/** Offer `content` as a file download named `fileName`. */
export function saveFile(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; free ours after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A link with target=_blank opens a new window here (the browser host). The Electron shell denies
 * window.open; there the openConversationWindow command asks the shell instead.
 */
export function canOpenWindows(): boolean {
  return typeof window !== 'undefined' && !window.parley;
}

/** A received file can be shown in the system's file manager only from the desktop shell (the browser host has none to reach). */
export function canShowInFolder(): boolean {
  return typeof window !== 'undefined' && Boolean(window.parley);
}
