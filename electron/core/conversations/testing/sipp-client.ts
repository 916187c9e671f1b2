/**
 * Test helper: sipp as a MESSAGE client through the bundled Kamailio, running one of the
 * conversations' scenarios (../scenarios) once towards `user` (key `from`: the client's user@host; key
 * `domain`: the server's). Resolves when sipp has finished, its exit code checked (0: every
 * MESSAGE was answered as the scenario expects), and always stops it.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { freePort } from '../../../../server/free-port.js';
import type { RunningServer } from '../../../../server/kamailio.js';
import { tempDir } from '../../../testing/cores.js';
import { startProgram } from '../../../testing/program.js';

export async function runSippClient(server: RunningServer, scenario: string, user: string, from: string): Promise<void> {
  const sipp = startProgram(
    'sipp',
    'sipp',
    [
      `${server.host}:${server.port}`,
      '-sf',
      path.join(import.meta.dirname, '..', 'scenarios', scenario),
      '-s',
      user,
      '-key',
      'from',
      from,
      '-key',
      'domain',
      server.domain,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-t',
      'u1',
      '-m',
      '1',
      '-nostdin',
      '-timeout',
      '20',
      '-timeout_error',
    ],
    { cwd: tempDir('parley-sipp-') },
  );
  try {
    expect(await sipp.exited, sipp.output()).toBe(0);
  } finally {
    await sipp.stop();
  }
}
