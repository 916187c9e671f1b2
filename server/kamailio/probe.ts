// Whether Kamailio is up: OPTIONS over UDP until it answers 200.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { hostForUri } from './uri-host.js';

/** Send OPTIONS over UDP until the server answers 200 (or `isDead()` / the deadline). */
export async function waitForOptions(host: string, port: number, deadline: number, isDead: () => boolean): Promise<boolean> {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  let answered = false;
  socket.on('message', (data) => {
    if (data.toString('latin1').startsWith('SIP/2.0 200')) answered = true;
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  const localPort = socket.address().port;
  const h = hostForUri(host);
  try {
    while (!answered && !isDead() && Date.now() < deadline) {
      const tag = randomBytes(6).toString('hex');
      const request = [
        `OPTIONS sip:${h}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${h}:${localPort};branch=z9hG4bK-probe-${tag};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@${h}>;tag=${tag}`,
        `To: <sip:${h}:${port}>`,
        `Call-ID: probe-${tag}@${h}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, host);
      for (let waited = 0; waited < 250 && !answered; waited += 25) await delay(25);
    }
  } finally {
    socket.close();
  }
  return answered;
}
