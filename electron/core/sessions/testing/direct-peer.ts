/** Test helper: a direct-mode Parley and a raw UDP SIP peer beside it, for hand-made INVITEs (hostile-invite and hostile-file-offer tests). */
import { UdpPeer } from '../../../sip/testing/raw-peers.js';
import { startCore, type TestCore } from '../../../testing/cores.js';

export interface DirectPeer {
  parley: TestCore;
  peer: UdpPeer;
  /** Parley's UDP port. */
  port: number;
  stop(): Promise<void>;
}

export async function directParleyWithPeer(): Promise<DirectPeer> {
  const parley = await startCore();
  const peer = await UdpPeer.open();
  const port = (await parley.core.commands.getSnapshot({})).listening.find((l) => l.transport === 'udp')!.port;
  return {
    parley,
    peer,
    port,
    stop: async () => {
      await peer.close();
      await parley.stop();
    },
  };
}

/** The first final response on the call whose Call-ID contains `callId` (provisional ones and other calls skipped). */
export async function finalAnswer(peer: UdpPeer, callId: string, timeoutMs = 5000): Promise<string> {
  for (;;) {
    const response = await peer.next(timeoutMs);
    if (!response.includes(callId) || /^SIP\/2\.0 1\d\d /.test(response)) continue;
    return response;
  }
}

/** A stranger's m=message offer (actpass, an unreachable path), with `extra` a= lines after a=setup. */
export function strangerOffer(extra: string[] = [], acceptTypes = 'message/cpim text/plain', sessionId = 'strangersession'): string {
  return [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=message 9 TCP/MSRP *',
    `a=accept-types:${acceptTypes}`,
    `a=path:msrp://127.0.0.1:9/${sessionId};tcp`,
    'a=setup:actpass',
    ...extra,
    '',
  ].join('\r\n');
}
