/**
 * The three-way merge of keyed records that every server document's merge is built on
 * (roster-sync/roster-merge.ts, pres-rules-sync.ts, presence-settings-sync.ts): `base` is what this device
 * and the server last agreed on, `local` what the device has now, `remote` what the server has now.
 */

/**
 * Per key: taken from the side that changed it; `both` merges the two when both changed and
 * both still have it; a removal on one side loses to an edit on the other.
 */
export function mergeRecords<T>(
  base: Map<string, T>,
  local: Map<string, T>,
  remote: Map<string, T>,
  both: (b: T | undefined, l: T, r: T) => T,
  same: (a: T | undefined, b: T | undefined) => boolean,
): Map<string, T> {
  const out = new Map<string, T>();
  for (const key of new Set([...remote.keys(), ...local.keys()])) {
    const b = base.get(key);
    const l = local.get(key);
    const r = remote.get(key);
    const localChanged = !same(b, l);
    const remoteChanged = !same(b, r);
    let value: T | undefined;
    if (!remoteChanged) value = l;
    else if (!localChanged) value = r;
    else if (l !== undefined && r !== undefined) value = both(b, l, r);
    else value = l ?? r;
    if (value !== undefined) out.set(key, value);
  }
  return out;
}
