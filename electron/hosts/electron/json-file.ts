/**
 * A small JSON file in the data folder that the shell owns (desktop settings, window places):
 * read through a zod schema, where a missing, unreadable or invalid file means the defaults (a bad
 * file must never stop Parley from starting); written whole to a temporary name, then renamed, so
 * a crash mid-write leaves the old file.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Logger } from '../../support/logger.js';

export function readJsonFile<T>(file: string, schema: z.ZodType<T>, fallback: T, logger?: Logger): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger?.warn('unreadable file, using defaults', { file, error });
    return fallback;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  logger?.warn('invalid file, using defaults', { file });
  return fallback;
}

export function writeJsonFile(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
