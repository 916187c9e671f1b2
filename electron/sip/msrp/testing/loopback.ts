/** Test helpers for MSRP on loopback sockets: a URI on 127.0.0.1, and waiting for what real I/O brings. */
import type { MsrpUri } from '../uri.js';

export const loopbackUri = (port: number, sessionId: string, secure = false): MsrpUri => ({
  secure,
  host: '127.0.0.1',
  port,
  sessionId,
  transport: 'tcp',
  params: [],
});

/** Resolves once `check` holds; throws after `ms` (generous: the machine may be busy). */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
