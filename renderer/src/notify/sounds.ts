/**
 * The notice sounds (assets/sounds/, made by `npm run sounds`): played when a notice is shown, by
 * the same rules (shared/notify/notices.ts), unless the user muted them. The browser host's page
 * decides itself (web-attention.ts); in Electron the shell decides and asks the main window
 * (a `play-sound` ShellRequest, shell-requests.ts).
 */
import type { Notice } from '../../../shared/notify/notices.js';

export type SoundName = Notice['kind'];

/** The part of an HTMLAudioElement a player uses (tests hand in a fake). */
export interface AudioLike {
  currentTime: number;
  play(): Promise<void> | void;
}

export interface SoundPlayer {
  /** Plays the sound unless muted; says whether it was asked to play (the browser may still refuse it). */
  play(sound: SoundName): boolean;
}

export interface SoundPlayerOptions {
  urls: Record<SoundName, string>;
  /** The user's mute setting, read at each sound. */
  muted(): boolean;
  createAudio?: (url: string) => AudioLike;
}

export function createSoundPlayer(options: SoundPlayerOptions): SoundPlayer {
  const createAudio = options.createAudio ?? ((url: string) => new Audio(url));
  // One element per sound, made when first needed: a second notice restarts it rather than overlapping.
  const made = new Map<SoundName, AudioLike>();
  return {
    play(sound) {
      if (options.muted()) return false;
      let audio = made.get(sound);
      if (!audio) made.set(sound, (audio = createAudio(options.urls[sound])));
      audio.currentTime = 0;
      try {
        // A browser that has not seen the user interact with the page refuses; the notice still shows.
        void Promise.resolve(audio.play()).catch(() => undefined);
      } catch {
        /* no audio output */
      }
      return true;
    },
  };
}
