import { describe, expect, it } from 'vitest';
import { deliveryLabel, deliveryView } from './delivery.js';

describe('deliveryView', () => {
  it('gives every state words, shows them where the user must notice, and says what happens next', () => {
    expect(deliveryView({ state: 'sending' })).toEqual({ mark: 'clock', label: 'Sending…', labelShown: false, detail: null });
    expect(deliveryView({ state: 'delivered' })).toEqual({ mark: 'check', label: 'Delivered', labelShown: false, detail: null });
    expect(deliveryView({ state: 'stored' })).toMatchObject({ label: 'Stored for later', labelShown: true, detail: 'Will be delivered when they come online' });
    expect(deliveryView({ state: 'queued' })).toMatchObject({ mark: 'clock', label: 'Waiting for the server', labelShown: true });
    // On its way while the server is out of reach: it waits for the server too.
    expect(deliveryView({ state: 'sending' }, false)).toMatchObject({ mark: 'clock', label: 'Waiting for the server', labelShown: true });
    expect(deliveryView({ state: 'sending' }, true)).toMatchObject({ label: 'Sending…', labelShown: false });
    expect(deliveryView({ state: 'delivered' }, false)).toMatchObject({ label: 'Delivered' });
    expect(deliveryView({ state: 'failed', code: 404 })).toMatchObject({ mark: 'alert', label: 'Not delivered: SIP 404', labelShown: true });
    expect(deliveryView({ state: 'cancelled' })).toMatchObject({ mark: 'cancelled', label: 'Cancelled', labelShown: true });
  });

  it('names the reason of a failure, else its SIP code', () => {
    expect(deliveryLabel({ state: 'failed', reason: ' Bob is offline ' })).toBe('Not delivered: Bob is offline');
    expect(deliveryLabel({ state: 'failed' })).toBe('Not delivered');
  });
});
