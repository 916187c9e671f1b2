/** Where the built renderer finds the notice sounds: Vite copies each into the bundle as a file (the CSP's media-src 'self'). */
import type { SoundName } from './sounds.js';

export const SOUND_URLS: Record<SoundName, string> = {
  message: new URL('../../../assets/sounds/message.wav', import.meta.url).href,
  request: new URL('../../../assets/sounds/request.wav', import.meta.url).href,
};
