/**
 * A MESSAGE's outcome as sendMessage tells it, on a stand-in for sip.js's core and our transport:
 * the status and the peer's product of a 2xx; the status, the phrase and whether the transport
 * lost it (by the request's branch at the time of the answer) of a refusal.
 */
import { describe, expect, it } from 'vitest';
import type { SipTransport } from '../transport/sip-transport.js';
import { sipUri, type UserAgent } from '../user-agent.js';
import { sendMessage, type MessageAgent } from './send-message.js';

type Response = { message: { statusCode?: number; reasonPhrase?: string; getHeader(name: string): string | undefined } };
type Delegate = { onAccept(r: Response): void; onReject(r: Response): void };

function agentAnswering(answer: (delegate: Delegate, request: { branch?: string }) => void, lost: string[] = []) {
  const made: unknown[][] = [];
  const ua = {
    userAgentCore: {
      makeOutgoingRequestMessage: (...args: unknown[]) => {
        made.push(args);
        return { branch: 'z9hG4bKfirst' };
      },
      request: (request: { branch?: string }, delegate: Delegate) => answer(delegate, request),
    },
  } as unknown as UserAgent;
  const transport = { wasLost: (branch: string) => lost.includes(branch) } as unknown as SipTransport;
  const agent: MessageAgent = { ua, transport };
  return { agent, made };
}

const response = (statusCode: number, headers: Record<string, string> = {}, reasonPhrase?: string): Response => ({
  message: { statusCode, reasonPhrase, getHeader: (name) => headers[name] },
});

function send(agent: MessageAgent): unknown[][] {
  const outcomes: unknown[][] = [];
  const target = sipUri('sip:bob@parley.test')!;
  const from = sipUri('sip:alice@parley.test')!;
  const body = { contentDisposition: 'render', contentType: 'text/plain', content: 'hi' };
  sendMessage(agent, target, from, { callId: 'c1', cseq: 7, fromTag: 't1' }, body, (...outcome) => outcomes.push(outcome));
  return outcomes;
}

describe('sendMessage', () => {
  it('builds the MESSAGE with the ids and body given', () => {
    const { agent, made } = agentAnswering((d) => d.onAccept(response(200)));
    send(agent);
    expect(made[0]![0]).toBe('MESSAGE');
    expect(made[0]![4]).toEqual({ callId: 'c1', cseq: 7, fromTag: 't1' });
    expect(made[0]![6]).toEqual({ contentDisposition: 'render', contentType: 'text/plain', content: 'hi' });
  });

  it("a 2xx: its status and the peer's Server, else its User-Agent", () => {
    expect(send(agentAnswering((d) => d.onAccept(response(202, { server: 'Kamailio' }))).agent)).toEqual([
      [202, undefined, false, 'Kamailio'],
    ]);
    expect(send(agentAnswering((d) => d.onAccept(response(200, { 'user-agent': 'baresip' }))).agent)).toEqual([
      [200, undefined, false, 'baresip'],
    ]);
  });

  it('a refusal: status and phrase, lost when the transport lost the branch the request has at the answer', () => {
    expect(send(agentAnswering((d) => d.onReject(response(486, {}, 'Busy Here'))).agent)).toEqual([[486, 'Busy Here', false, undefined]]);
    // A digest retry moved the request to a new branch before the transport lost it.
    const moved = agentAnswering(
      (d, request) => {
        request.branch = 'z9hG4bKretry';
        d.onReject(response(503));
      },
      ['z9hG4bKretry'],
    );
    expect(send(moved.agent)).toEqual([[503, undefined, true, undefined]]);
    const notLost = agentAnswering((d) => d.onReject(response(503)), ['z9hG4bKother']);
    expect(send(notLost.agent)).toEqual([[503, undefined, false, undefined]]);
  });
});
