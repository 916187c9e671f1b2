/**
 * The binding probe's reading of each answer, on a stand-in for sip.js's core that answers the
 * OPTIONS the way sip.js's delegate would be called.
 */
import { describe, expect, it } from 'vitest';
import type { UserAgent } from '../user-agent.js';
import { probeBinding, type BindingProbeOutcome } from './binding-probe.js';

type Delegate = { onAccept(): void; onRedirect(): void; onReject(response: { message: { statusCode: number } }): void };

function probeAnswered(answer: (delegate: Delegate) => void): { outcomes: BindingProbeOutcome[]; method?: string; callId?: string } {
  const seen: { method?: string; callId?: string } = {};
  const ua = {
    userAgentCore: {
      makeOutgoingRequestMessage: (method: string, _r: unknown, _f: unknown, _t: unknown, options: { callId: string }) => {
        seen.method = method;
        seen.callId = options.callId;
        return {};
      },
      request: (_request: unknown, delegate: Delegate) => answer(delegate),
    },
  } as unknown as UserAgent;
  const outcomes: BindingProbeOutcome[] = [];
  probeBinding(ua, 'sip:alice@parley.test', (outcome) => outcomes.push(outcome));
  return { outcomes, ...seen };
}

const rejected = (statusCode: number) => (d: Delegate) => d.onReject({ message: { statusCode } });

describe('probeBinding', () => {
  it('sends an OPTIONS on a Call-ID of its own (sip.js answers 482 to one it thinks it sent)', () => {
    const probe = probeAnswered((d) => d.onAccept());
    expect(probe.method).toBe('OPTIONS');
    expect(probe.callId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('a 2xx, a redirect or another answer of the server: answered', () => {
    expect(probeAnswered((d) => d.onAccept()).outcomes).toEqual(['answered']);
    expect(probeAnswered((d) => d.onRedirect()).outcomes).toEqual(['answered']);
    expect(probeAnswered(rejected(405)).outcomes).toEqual(['answered']);
  });

  it('404, 480 and 410: the registrar no longer has our binding', () => {
    for (const status of [404, 480, 410]) expect(probeAnswered(rejected(status)).outcomes).toEqual(['unbound']);
  });

  it("sip.js's 408 (timeout) and 503 (transport error): no answer", () => {
    for (const status of [408, 503]) expect(probeAnswered(rejected(status)).outcomes).toEqual(['no-answer']);
  });
});
