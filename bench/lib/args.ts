/** Command-line options of the benchmarks: `--name <positive number>` and `--flag`. */

const argv = process.argv.slice(2);

/** The positive number after `name`, or `fallback` when the option is absent. */
export function numberOption(name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

export function flag(name: string): boolean {
  return argv.includes(name);
}

/** The text after `name`, or undefined when the option is absent. */
export function stringOption(name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}
