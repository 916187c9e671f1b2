import { describe, expect, it } from 'vitest';
import type { Reason } from '../../shared/domain/reason.js';
import { reasonFromColumn, reasonToColumn } from './reason-column.js';

const offline: Reason = { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } };

describe('the reason column', () => {
  it('keeps a reason as JSON and reads it back', () => {
    expect(reasonToColumn(undefined)).toBeNull();
    expect(reasonFromColumn(null)).toBeUndefined();
    expect(reasonFromColumn(reasonToColumn(offline))).toEqual(offline);
    expect(reasonFromColumn(reasonToColumn({ code: 'delivery.refused' }))).toEqual({ code: 'delivery.refused' });
  });

  it('reads text that is no reason as that text, and leaves out a code it does not know', () => {
    expect(reasonFromColumn('Bob is offline.')).toEqual({ code: 'legacy', params: { text: 'Bob is offline.' } });
    expect(reasonFromColumn('404')).toEqual({ code: 'legacy', params: { text: '404' } });
    expect(reasonFromColumn('{"code":"delivery.from-the-future","params":{}}')).toBeUndefined();
    expect(reasonFromColumn('{"code":"delivery.offline","params":{}}')).toBeUndefined(); // its peer is missing
  });
});
