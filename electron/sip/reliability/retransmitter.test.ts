import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../testing/fake-timers.js';
import { Retransmitter } from './retransmitter.js';
import { T1, T2, TRANSACTION_TIMEOUT } from './timers.js';

function setup() {
  const timers = new FakeTimers(1_000_000);
  const retransmitter = new Retransmitter(timers);
  const start = timers.now();
  const sends: number[] = [];
  const resend = () => sends.push(timers.now() - start);
  return { timers, retransmitter, start, sends, resend };
}

describe('Retransmitter', () => {
  it('uses the RFC 3261 timer values', () => {
    expect(T1).toBe(500);
    expect(T2).toBe(4000);
    expect(TRANSACTION_TIMEOUT).toBe(64 * T1);
  });

  it('resends a non-INVITE at T1, 2T1, 4T1 then every T2 (timer E)', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'MESSAGE', resend);
    expect(sends).toEqual([]);
    timers.advance(499);
    expect(sends).toEqual([]);
    timers.advance(1);
    expect(sends).toEqual([500]);
    timers.advance(20_000 - 500);
    // intervals 500, 1000, 2000, 4000, 4000, 4000 ...
    expect(sends).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500]);
    expect(retransmitter.resent).toBe(7);
    expect(retransmitter.size).toBe(1);
  });

  it('doubles the INVITE interval without the T2 cap (timer A)', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'INVITE', resend);
    timers.advance(16_000);
    expect(sends).toEqual([500, 1500, 3500, 7500, 15500]);
  });

  it('stops on a final response: no more resends, no timer left', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'MESSAGE', resend);
    timers.advance(1600);
    expect(sends).toEqual([500, 1500]);
    retransmitter.onResponse('z9hG4bK1', 'MESSAGE', 200);
    expect(retransmitter.size).toBe(0);
    expect(timers.pending).toBe(0);
    timers.advance(60_000);
    expect(sends).toEqual([500, 1500]);
  });

  it('stops on a 4xx/5xx/6xx final response as well', () => {
    for (const status of [404, 503, 603]) {
      const { timers, retransmitter, sends, resend } = setup();
      retransmitter.track('b', 'SUBSCRIBE', resend);
      retransmitter.onResponse('b', 'SUBSCRIBE', status);
      timers.advance(10_000);
      expect(sends, String(status)).toEqual([]);
    }
  });

  it('a provisional response to a non-INVITE moves the interval straight to T2 (and it stays there)', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'MESSAGE', resend);
    timers.advance(600);
    expect(sends).toEqual([500]);
    retransmitter.onResponse('z9hG4bK1', 'MESSAGE', 100);
    expect(retransmitter.size).toBe(1);
    timers.advance(10_000 - 600);
    expect(sends).toEqual([500, 600 + T2, 600 + 2 * T2]);
    retransmitter.onResponse('z9hG4bK1', 'MESSAGE', 200);
    timers.advance(10_000);
    expect(sends).toHaveLength(3);
  });

  it('any response to an INVITE, even 100 Trying, stops its retransmission', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'INVITE', resend);
    timers.advance(500);
    retransmitter.onResponse('z9hG4bK1', 'INVITE', 100);
    expect(retransmitter.size).toBe(0);
    timers.advance(30_000);
    expect(sends).toEqual([500]);
  });

  it('matches responses by branch and CSeq method (a CANCEL answer does not stop the INVITE)', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'INVITE', resend);
    retransmitter.onResponse('z9hG4bK1', 'CANCEL', 200);
    retransmitter.onResponse('z9hG4bK-other', 'INVITE', 200);
    timers.advance(500);
    expect(sends).toEqual([500]);
    expect(retransmitter.size).toBe(1);
  });

  it('treats the method case-insensitively', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('b', 'message', resend);
    retransmitter.onResponse('b', 'MESSAGE', 200);
    timers.advance(5000);
    expect(sends).toEqual([]);
    expect(Retransmitter.key('b', 'message')).toBe(Retransmitter.key('b', 'MESSAGE'));
  });

  it('gives up after 64*T1: never resends past it and forgets the request', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'MESSAGE', resend);
    timers.advance(TRANSACTION_TIMEOUT * 3);
    expect(sends.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...sends)).toBeLessThan(TRANSACTION_TIMEOUT);
    expect(retransmitter.size).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('gives up on an INVITE after 64*T1 too', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'INVITE', resend);
    timers.advance(TRANSACTION_TIMEOUT * 3);
    expect(Math.max(...sends)).toBeLessThan(TRANSACTION_TIMEOUT);
    expect(retransmitter.size).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('keeps retransmitting until 64*T1 (RFC 3261 §17.1.2.2: the last timer E resend is at 31.5 s, before timer F at 32 s)', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'MESSAGE', resend);
    timers.advance(TRANSACTION_TIMEOUT);
    expect(sends).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  });

  it('never tracks ACK', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('z9hG4bK1', 'ACK', resend);
    retransmitter.track('z9hG4bK2', 'ack', resend);
    expect(retransmitter.size).toBe(0);
    expect(timers.pending).toBe(0);
    timers.advance(10_000);
    expect(sends).toEqual([]);
  });

  it('tracking the same branch and method again replaces the earlier entry', () => {
    const { timers, retransmitter } = setup();
    const first: number[] = [];
    const second: number[] = [];
    retransmitter.track('b', 'MESSAGE', () => first.push(timers.now()));
    timers.advance(300);
    retransmitter.track('b', 'MESSAGE', () => second.push(timers.now()));
    expect(retransmitter.size).toBe(1);
    timers.advance(2000);
    expect(first).toEqual([]);
    expect(second.length).toBe(2);
  });

  it('keeps going when a resend throws', () => {
    const { timers, retransmitter } = setup();
    let calls = 0;
    retransmitter.track('b', 'MESSAGE', () => {
      calls++;
      throw new Error('EHOSTUNREACH');
    });
    timers.advance(3500);
    expect(calls).toBe(3);
    expect(retransmitter.size).toBe(1);
  });

  it('stopAll cancels everything', () => {
    const { timers, retransmitter, sends, resend } = setup();
    retransmitter.track('a', 'MESSAGE', resend);
    retransmitter.track('b', 'INVITE', resend);
    retransmitter.track('c', 'SUBSCRIBE', resend);
    expect(retransmitter.size).toBe(3);
    retransmitter.stopAll();
    expect(retransmitter.size).toBe(0);
    expect(timers.pending).toBe(0);
    timers.advance(10_000);
    expect(sends).toEqual([]);
  });

  it('ignores responses for requests it does not track', () => {
    const { timers, retransmitter } = setup();
    retransmitter.onResponse('nope', 'MESSAGE', 100);
    retransmitter.onResponse('nope', 'MESSAGE', 200);
    expect(retransmitter.size).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('tracks several requests independently', () => {
    const { timers, retransmitter } = setup();
    const a: number[] = [];
    const b: number[] = [];
    retransmitter.track('a', 'MESSAGE', () => a.push(timers.now()));
    timers.advance(250);
    retransmitter.track('b', 'MESSAGE', () => b.push(timers.now()));
    timers.advance(1300);
    retransmitter.onResponse('a', 'MESSAGE', 200);
    timers.advance(5000);
    expect(a).toEqual([500, 1500].map((t) => t + 1_000_000));
    expect(b).toEqual([750, 1750, 3750].map((t) => t + 1_000_000));
  });
});
