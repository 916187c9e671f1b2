// The committed notice sounds (npm run sounds) are what the synthesiser makes now, small, and valid WAV.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav, SAMPLE_RATE, SOUNDS, synthesise } from './sounds.js';

const SOUNDS_DIR = path.resolve(import.meta.dirname, '..', '..', 'assets', 'sounds');

describe('notice sounds', () => {
  it.each(Object.keys(SOUNDS) as (keyof typeof SOUNDS)[])('assets/sounds/%s.wav is current, short and small', (name) => {
    const committed = readFileSync(path.join(SOUNDS_DIR, `${name}.wav`));
    expect(committed.equals(encodeWav(synthesise(SOUNDS[name])))).toBe(true);
    expect(committed.toString('ascii', 0, 4)).toBe('RIFF');
    expect(committed.toString('ascii', 8, 12)).toBe('WAVE');
    expect(committed.readUInt32LE(24)).toBe(SAMPLE_RATE);
    const seconds = committed.readUInt32LE(40) / 2 / SAMPLE_RATE;
    expect(seconds).toBeGreaterThan(0.1);
    expect(seconds).toBeLessThan(0.5);
    expect(committed.length).toBeLessThan(16 * 1024);
  });

  it('never clips and starts and ends near silence (no click)', () => {
    for (const notes of Object.values(SOUNDS)) {
      const samples = synthesise(notes);
      expect(Math.max(...samples.map(Math.abs))).toBeLessThan(1);
      expect(Math.abs(samples[0]!)).toBeLessThan(0.01);
      expect(Math.abs(samples.at(-1)!)).toBeLessThan(0.05);
    }
  });
});
