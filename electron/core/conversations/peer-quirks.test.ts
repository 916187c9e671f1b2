import { describe, expect, it } from 'vitest';
import { needsNewCallIdPerMessage } from './peer-quirks.js';

describe('needsNewCallIdPerMessage', () => {
  it('knows liblinphone-based clients, and says nothing of others', () => {
    expect(needsNewCallIdPerMessage('Linphonec/5.1.65 (belle-sip/5.1.64)')).toBe(true);
    expect(needsNewCallIdPerMessage('LinphoneAndroid/5.2 (belle-sip/5.2.0)')).toBe(true);
    expect(needsNewCallIdPerMessage('baresip v1.0.0 (x86_64/linux)')).toBeUndefined();
    expect(needsNewCallIdPerMessage(undefined)).toBeUndefined();
  });
});
