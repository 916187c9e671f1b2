/**
 * Registration against sipp as a scripted registrar: 423 Interval Too Brief is answered with the
 * Min-Expires asked for, our grant is picked out among another device's binding, and stop()
 * removes the binding with expires=0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../../server/free-port.js';
import { isRegistration, startCore, tempDir } from '../../testing/cores.js';
import { startProgram } from '../../testing/program.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'registrar-423.xml');

/** sipp in a process group of its own, stopped with the test whatever happens (electron/testing/program.ts). */
function sippRegistrar(port: number, trace: string) {
  const sipp = startProgram(
    'sipp registrar',
    'sipp',
    [
      '-sf',
      SCENARIO,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-m',
      '1',
      '-nostdin',
      '-timeout',
      '20',
      '-timeout_error',
      '-trace_msg',
      '-message_file',
      trace,
    ],
    {
      cwd: path.dirname(trace),
    },
  );
  onTestFinished(() => sipp.stop());
  return sipp;
}

async function listening(port: number): Promise<void> {
  const needle = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (let i = 0; i < 200 && !fs.readFileSync('/proc/net/udp', 'utf8').includes(needle); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('registration against a scripted registrar (sipp)', () => {
  it('follows 423 Min-Expires, finds its own grant among other devices, and unregisters on stop', async () => {
    const port = await freePort();
    const trace = path.join(tempDir(), 'registrar.log');
    const registrar = sippRegistrar(port, trace);
    await listening(port);
    const parley = await startCore({
      account: { aor: 'sip:alice@parley.test', proxy: `sip:127.0.0.1:${port}`, transport: 'udp', registerExpires: 600 },
      password: 'unused',
    });
    const registered = await parley.waitFor(isRegistration('registered'));
    expect(registered).toMatchObject({ expires: 1800, otherDevices: 1 });
    await parley.stop();
    expect(await registrar.exited).toBe(0);
    const requests = fs
      .readFileSync(trace, 'utf8')
      .split(/-{20,}/)
      .filter((block) => /^\s*REGISTER /m.test(block));
    expect(requests).toHaveLength(3);
    const expiresOf = (block: string) => /^Contact:.*;expires=(\d+)/im.exec(block)?.[1];
    expect(requests.map(expiresOf)).toEqual(['600', '1800', '0']);
    const cseqs = requests.map((b) => Number(/^CSeq:\s*(\d+)/im.exec(b)?.[1]));
    expect(cseqs[1]).toBeGreaterThan(cseqs[0]!);
    expect(cseqs[2]).toBeGreaterThan(cseqs[1]!);
    const callIds = new Set(requests.map((b) => /^Call-ID:\s*(\S+)/im.exec(b)?.[1]));
    expect(callIds.size).toBe(1);
  });
});
