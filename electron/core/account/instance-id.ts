/**
 * This install's instance id (RFC 5626 §4.1): a UUID made once and kept in the settings table of
 * the data folder's SQLite file, so every start (and every account) registers as the same device.
 * The registrar replaces this device's earlier binding by it (sip/registration/register-client.ts)
 * and the other devices of the account tell this one apart by it.
 */
import { randomUUID } from 'node:crypto';
import type { SettingsRepo } from '../../storage/settings-repo.js';

const KEY = 'device.instanceId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function instanceId(settings: SettingsRepo): string {
  const stored = settings.get<unknown>(KEY);
  if (typeof stored === 'string' && UUID.test(stored)) return stored;
  const made = randomUUID();
  settings.set(KEY, made);
  return made;
}
