/**
 * Registration against sipp as a scripted registrar: 423 Interval Too Brief is answered with the
 * Min-Expires asked for, our grant is picked out among another device's binding, and stop()
 * removes the binding with expires=0.
 */
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../../server/free-port.js';
import { isRegistration, startCore } from '../../testing/cores.js';
import { startSipp, waitForUdpListener } from '../../testing/sipp.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'registrar-423.xml');

describe('registration against a scripted registrar (sipp)', () => {
  it('follows 423 Min-Expires, finds its own grant among other devices, and unregisters on stop', async () => {
    const port = await freePort();
    // sipp in a process group of its own, stopped with the test whatever happens
    const registrar = await startSipp({ name: 'sipp registrar', scenario: SCENARIO, port, timeoutSeconds: 20, trace: true });
    onTestFinished(() => registrar.stop());
    await waitForUdpListener(port);
    const parley = await startCore({
      account: { aor: 'sip:alice@parley.test', proxy: `sip:127.0.0.1:${port}`, transport: 'udp', registerExpires: 600 },
      password: 'unused',
    });
    const registered = await parley.waitFor(isRegistration('registered'));
    expect(registered).toMatchObject({ expires: 1800, otherDevices: 1 });
    await parley.stop();
    expect(await registrar.program.exited).toBe(0);
    const requests = registrar.messages().filter((block) => /^\s*REGISTER /m.test(block));
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
