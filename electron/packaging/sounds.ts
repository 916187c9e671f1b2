/**
 * `npm run sounds`: the two notice sounds, synthesised here and written into assets/sounds/ to be
 * committed (no recordings, nothing downloaded):
 *   assets/sounds/message.wav   a new message: two soft notes going up
 *   assets/sounds/request.wav   a watcher request: three shorter notes, up then back
 * Each note is a sine with a little of its octave, a 5 ms rise and an exponential fall, so there is
 * no click. 16 kHz, 16-bit mono PCM: a few kilobytes each, and every browser and Electron plays WAV.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SAMPLE_RATE = 16_000;

export interface Note {
  /** Hz. */
  pitch: number;
  /** When it starts and how long it sounds, in seconds. */
  at: number;
  length: number;
}

export const SOUNDS: Record<'message' | 'request', Note[]> = {
  message: [
    { pitch: 880, at: 0, length: 0.12 },
    { pitch: 1318.5, at: 0.09, length: 0.2 },
  ],
  request: [
    { pitch: 784, at: 0, length: 0.09 },
    { pitch: 1046.5, at: 0.08, length: 0.09 },
    { pitch: 784, at: 0.16, length: 0.14 },
  ],
};

/** The notes mixed into samples in [-1, 1]. */
export function synthesise(notes: readonly Note[], rate = SAMPLE_RATE): Float32Array {
  const end = Math.max(...notes.map((n) => n.at + n.length));
  const samples = new Float32Array(Math.ceil(end * rate));
  for (const note of notes) {
    const first = Math.round(note.at * rate);
    const count = Math.round(note.length * rate);
    for (let i = 0; i < count && first + i < samples.length; i++) {
      const t = i / rate;
      const rise = Math.min(1, t / 0.005);
      const fall = Math.exp((-5 * t) / note.length);
      const tone = Math.sin(2 * Math.PI * note.pitch * t) + 0.25 * Math.sin(4 * Math.PI * note.pitch * t);
      samples[first + i]! += 0.3 * rise * fall * tone;
    }
  }
  return samples;
}

/** A RIFF/WAVE file of 16-bit mono PCM. */
export function encodeWav(samples: Float32Array, rate = SAMPLE_RATE): Buffer {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // the fmt chunk's size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28); // bytes per second
  out.writeUInt16LE(2, 32); // bytes per frame
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(data, 40);
  samples.forEach((sample, i) => out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), 44 + i * 2));
  return out;
}

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes assets/sounds/<name>.wav under root; returns their paths relative to root. */
export async function generateSounds(root: string = defaultRoot): Promise<string[]> {
  const folder = path.join(root, 'assets', 'sounds');
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const [name, notes] of Object.entries(SOUNDS)) {
    await writeFile(path.join(folder, `${name}.wav`), encodeWav(synthesise(notes)));
    written.push(`assets/sounds/${name}.wav`);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  generateSounds().then(
    (written) => console.log(`sounds: wrote ${written.join(', ')}`),
    (error: unknown) => {
      console.error(`sounds: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
