/**
 * INVITEs a stranger sends a direct-mode Parley over UDP: offers Parley cannot use are refused
 * with 415 or 488 and nothing else changes; a good offer gets a 200 whose SDP Parley's own
 * parser reads; and after all of it Parley still chats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UdpPeer } from '../../sip/testing/raw-peers.js';
import { parseMsrpSdp } from '../../sip/msrp/sdp.js';
import { isIncoming, type TestCore } from '../../testing/cores.js';
import { directParleyWithPeer, finalAnswer as answerOn, strangerOffer, type DirectPeer } from './testing/direct-peer.js';

let direct: DirectPeer;
let parley: TestCore;
let peer: UdpPeer;
let port: number;

beforeAll(async () => {
  direct = await directParleyWithPeer();
  ({ parley, peer, port } = direct);
});
afterAll(async () => {
  await direct?.stop();
});

let count = 0;
function invite(contentType: string | undefined, body: string): string {
  count++;
  const headers = [
    `INVITE sip:parley@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-hostile-${count}`,
    'Max-Forwards: 70',
    `From: <sip:stranger@127.0.0.1:${peer.port}>;tag=t${count}`,
    `To: <sip:parley@127.0.0.1:${port}>`,
    `Call-ID: hostile-${count}@127.0.0.1`,
    'CSeq: 1 INVITE',
    `Contact: <sip:stranger@127.0.0.1:${peer.port}>`,
    ...(contentType ? [`Content-Type: ${contentType}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** Sends an INVITE and returns the first final response to it (provisional ones skipped). */
async function finalAnswer(request: string): Promise<string> {
  const callId = /^Call-ID: (.*)$/m.exec(request)![1]!;
  await peer.send(request, port);
  return answerOn(peer, callId);
}

const goodOffer = strangerOffer();

describe('hostile INVITEs', () => {
  const cases: Array<[string, string | undefined, string, number]> = [
    ['no body at all', undefined, '', 488],
    ['a body that is not SDP', 'text/plain', 'hello', 415],
    ['SDP with audio only', 'application/sdp', goodOffer.replace(/m=message.*\r\n/, 'm=audio 4000 RTP/AVP 0\r\n'), 488],
    ['SDP whose path is not a URI', 'application/sdp', goodOffer.replace(/a=path:.*\r\n/, 'a=path:<script>\r\n'), 488],
    ['SDP that takes no chat text', 'application/sdp', goodOffer.replace('message/cpim text/plain', 'image/png'), 488],
    ['SDP far too large', 'application/sdp', `v=0\r\n${'a=x\r\n'.repeat(5000)}`, 488],
    ['garbage bytes', 'application/sdp', '\u0000\u0001\u00ff'.repeat(50), 488],
    [
      'a file transfer (RFC 5547) that asks Parley to send a file (a=recvonly)',
      'application/sdp',
      goodOffer.replace(/(a=path:.*\r\n)/, '$1a=file-selector:name:"../../.bashrc" type:text/plain size:12\r\na=recvonly\r\n'),
      488,
    ],
    [
      'a file transfer whose selector is broken',
      'application/sdp',
      goodOffer.replace(/(a=path:.*\r\n)/, '$1a=file-selector:size:-1\r\n'),
      488,
    ],
  ];
  it.each(cases)('%s: refused with %s', async (_name, contentType, body, status) => {
    const response = await finalAnswer(invite(contentType, body));
    expect(response).toMatch(new RegExp(`^SIP/2\\.0 ${status} `));
    if (status === 415) expect(response).toMatch(/^Accept: application\/sdp\r$/m);
  });

  it('a usable offer is answered 200 with an MSRP answer that says Parley waits for the connection', async () => {
    const response = await finalAnswer(invite('application/sdp', goodOffer));
    expect(response).toMatch(/^SIP\/2\.0 200 /);
    const sdp = response.slice(response.indexOf('\r\n\r\n') + 4);
    const answer = parseMsrpSdp(sdp, 'answer');
    expect(answer).toMatchObject({ ok: true, media: { setup: 'passive' } });
    expect(answer.ok && answer.media.path[0]!.port).toBeGreaterThan(0);
    // No ACK and no connection from us: Parley gives the session up by itself.
  });

  it('after all that, Parley still takes a MESSAGE', async () => {
    const message = [
      `MESSAGE sip:parley@127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-after`,
      'Max-Forwards: 70',
      `From: <sip:stranger@127.0.0.1:${peer.port}>;tag=after`,
      `To: <sip:parley@127.0.0.1:${port}>`,
      'Call-ID: after@127.0.0.1',
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain',
      'Content-Length: 11',
      '',
      'still alive',
    ].join('\r\n');
    await peer.send(message, port);
    await parley.waitFor(isIncoming('still alive'));
  });
});
