/**
 * Test helper: sipp as a MESSAGE client through the bundled Kamailio, running one of the
 * conversations' scenarios (../scenarios) once towards `user` (key `from`: the client's user@host; key
 * `domain`: the server's). Resolves when sipp has finished, its exit code checked (0: every
 * MESSAGE was answered as the scenario expects), and always stops it.
 */
import path from 'node:path';
import { expect } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import { startSipp } from '../../../testing/sipp.js';

export async function runSippClient(server: RunningServer, scenario: string, user: string, from: string): Promise<void> {
  const sipp = await startSipp({
    target: `${server.host}:${server.port}`,
    scenario: path.join(import.meta.dirname, '..', 'scenarios', scenario),
    service: user,
    keys: { from, domain: server.domain },
    timeoutSeconds: 20,
  });
  try {
    expect(await sipp.program.exited, sipp.program.output()).toBe(0);
  } finally {
    await sipp.stop();
  }
}
