import { describe, expect, it } from 'vitest';
import { deliveryLabel, deliveryView } from './delivery.js';

describe('deliveryView', () => {
  it('gives every state words, shows them where the user must notice, and says what happens next', () => {
    expect(deliveryView({ state: 'sending' })).toEqual({ mark: 'clock', label: 'Sending…', labelShown: false, detail: null });
    // One tick for the peer's side, two for their app, two in another colour once shown to them.
    expect(deliveryView({ state: 'delivered' })).toMatchObject({ mark: 'check', label: 'Sent', labelShown: false, detail: null });
    expect(deliveryView({ state: 'delivered' }).hint).toMatch(/no receipt/);
    expect(deliveryView({ state: 'delivered', receipt: 'on-device' })).toMatchObject({ mark: 'double', label: 'Delivered', detail: null });
    expect(deliveryView({ state: 'stored', receipt: 'read' })).toMatchObject({
      mark: 'read',
      label: 'Read',
      labelShown: false,
      detail: null,
    });
    // The recipient's client said so: it holds even while the outbox waits for its own answer.
    expect(deliveryView({ state: 'queued', receipt: 'on-device' }, false)).toMatchObject({ mark: 'double', label: 'Delivered' });
    expect(deliveryView({ state: 'stored' })).toMatchObject({
      label: 'Stored for later',
      labelShown: true,
      detail: 'Will be delivered when they come online',
    });
    expect(deliveryView({ state: 'queued' })).toMatchObject({ mark: 'clock', label: 'Waiting for the server', labelShown: true });
    // On its way while the server is out of reach: it waits for the server too.
    expect(deliveryView({ state: 'sending' }, false)).toMatchObject({ mark: 'clock', label: 'Waiting for the server', labelShown: true });
    expect(deliveryView({ state: 'sending' }, true)).toMatchObject({ label: 'Sending…', labelShown: false });
    expect(deliveryView({ state: 'delivered' }, false)).toMatchObject({ label: 'Sent' });
    expect(deliveryView({ state: 'failed', code: 404 })).toMatchObject({
      mark: 'alert',
      label: 'Not delivered: SIP 404',
      labelShown: true,
    });
    expect(deliveryView({ state: 'cancelled' })).toMatchObject({ mark: 'cancelled', label: 'Cancelled', labelShown: true });
  });

  it('names the reason of a failure, else its SIP code', () => {
    const offline = { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } } as const;
    expect(deliveryLabel({ state: 'failed', reason: offline })).toBe(
      'Not delivered: bob@example.org is offline and the server could not keep the message.',
    );
    expect(deliveryLabel({ state: 'failed', reason: offline, code: 480 }, () => 'Bob')).toBe(
      'Not delivered: Bob is offline and the server could not keep the message.',
    );
    expect(deliveryView({ state: 'failed', reason: offline }, true, () => 'Bob').label).toBe(
      'Not delivered: Bob is offline and the server could not keep the message.',
    );
    expect(deliveryLabel({ state: 'failed' })).toBe('Not delivered');
  });
});
