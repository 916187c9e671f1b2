import { describe, expect, it } from 'vitest';
import { createSoundPlayer, type AudioLike } from './sounds.js';

function fakeAudio() {
  const made: (AudioLike & { url: string; plays: number })[] = [];
  return {
    made,
    createAudio: (url: string) => {
      const audio = {
        url,
        plays: 0,
        currentTime: 0,
        play() {
          audio.plays += 1;
          // A browser that has not seen the user yet refuses to play.
          return Promise.reject(new Error('NotAllowedError'));
        },
      };
      made.push(audio);
      return audio;
    },
  };
}

const urls = { message: '/assets/message.wav', request: '/assets/request.wav' };

describe('notice sounds', () => {
  it('play the sound of the notice, one element per sound, from the start each time', () => {
    const audio = fakeAudio();
    const player = createSoundPlayer({ urls, muted: () => false, createAudio: audio.createAudio });
    player.play('message');
    audio.made[0]!.currentTime = 0.1;
    player.play('message');
    player.play('request');
    expect(audio.made.map((a) => [a.url, a.plays])).toEqual([
      ['/assets/message.wav', 2],
      ['/assets/request.wav', 1],
    ]);
    expect(audio.made[0]!.currentTime).toBe(0);
  });

  it('stay silent while muted, and play again once unmuted', () => {
    const audio = fakeAudio();
    let muted = true;
    const player = createSoundPlayer({ urls, muted: () => muted, createAudio: audio.createAudio });
    player.play('message');
    player.play('request');
    expect(audio.made).toEqual([]);
    muted = false;
    player.play('request');
    expect(audio.made.map((a) => a.plays)).toEqual([1]);
  });
});
