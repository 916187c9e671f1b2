/**
 * sip:, sips: and im: links handed to Parley (macOS open-url, a second launch's argv on Windows and
 * Linux): the address to open a chat with, or null. Only the address survives: URI headers
 * (`?subject=…`), parameters and anything else a web page could smuggle in are dropped.
 */
export const LINK_SCHEMES = ['sip', 'sips', 'im'] as const;

const LINK = /^(sips?|im):(?:\/\/)?([^;?#\s]+)/i;
const ADDRESS = /^[\w.!~*'()&=+$,%-]+@[a-z0-9.-]+(?::\d{1,5})?$|^[a-z0-9.-]+\.[a-z]{2,}$/i;

export function linkAddress(raw: string): string | null {
  if (raw.length > 1024) return null;
  const match = LINK.exec(raw.trim());
  if (!match) return null;
  let target: string;
  try {
    target = decodeURIComponent(match[2]!);
  } catch {
    return null;
  }
  if (!ADDRESS.test(target)) return null;
  // im: (RFC 3860) names the same person; Parley reaches them over SIP.
  const scheme = match[1]!.toLowerCase() === 'sips' ? 'sips' : 'sip';
  return `${scheme}:${target}`;
}

/** The first link among a launch's arguments (Chromium switches and paths are not links). */
export function linkInArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    const address = linkAddress(arg);
    if (address) return address;
  }
  return null;
}
