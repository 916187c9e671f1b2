import type { CSSProperties } from 'react';
import { avatarHue, initials } from '../store/names.js';

export type PresenceDot = 'online' | 'away' | 'busy' | 'offline' | 'awaiting' | 'failed' | 'unknown';

/**
 * Initials on a colour of the person's own (stable per address), with an optional presence dot.
 * Decorative: the name and the status are always also in text beside it, so it is aria-hidden.
 */
export function Avatar({
  name,
  address,
  presence,
  size = 'md',
}: {
  name: string;
  address: string;
  presence?: PresenceDot;
  size?: 'sm' | 'md' | 'lg';
}) {
  // A custom property, set through the CSSOM (allowed by the CSP, unlike a style attribute in HTML).
  const style = { '--avatar-hue': avatarHue(address) } as CSSProperties;
  return (
    <span className={`avatar avatar-${size}`} style={style} aria-hidden="true">
      {initials(name)}
      {presence && <span className={`avatar-dot dot-${presence}`} />}
    </span>
  );
}
