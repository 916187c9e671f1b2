/**
 * A file's size as people read it ("1.5 MB": binary multiples, one decimal), the same in the
 * transfer list (renderer) and in the reason a too-large offer is declined with (core).
 */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}
