/**
 * The sample documents under samples/ (written for Parley after what baresip, liblinphone and
 * Kamailio send), read for tests and the fuzz loop.
 */
import { readFileSync, readdirSync } from 'node:fs';

const DIR = new URL('./samples/', import.meta.url);

export function sample(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8');
}

/** Every sample file name. */
export function sampleNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.xml'))
    .sort();
}
