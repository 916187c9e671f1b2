/**
 * The MIME type an outgoing file is offered with (a=file-selector type), from its extension: the
 * receiver shows it and decides on a preview by it, and checks nothing else by it. Only the kinds
 * people send in a chat are named; anything else is application/octet-stream, which every
 * receiver takes.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
};

export const GENERIC_TYPE = 'application/octet-stream';

export function typeOfFile(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 && BY_EXTENSION[name.slice(dot).toLowerCase()]) || GENERIC_TYPE;
}
