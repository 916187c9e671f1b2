import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../testing/fake-timers.js';
import { Absorber } from './absorber.js';
import { TRANSACTION_TIMEOUT } from './timers.js';

const K1 = Absorber.key('z9hG4bK1', '192.0.2.1:5060', 'MESSAGE');
const K2 = Absorber.key('z9hG4bK2', '192.0.2.1:5060', 'MESSAGE');
const OK = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';

describe('Absorber', () => {
  it('calls the first sighting new, a retransmission before the answer pending, and one after it a replay', () => {
    const absorber = new Absorber(new FakeTimers());
    expect(absorber.onRequest(K1)).toEqual({ kind: 'new' });
    expect(absorber.onRequest(K1)).toEqual({ kind: 'pending', taken: false });
    absorber.onResponse(K1, OK);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'replay', response: OK });
    expect(absorber.onRequest(K1)).toEqual({ kind: 'replay', response: OK });
    expect(absorber.absorbed).toBe(3);
    expect(absorber.size).toBe(1);
  });

  it('says of a copy of a request taken past sip.js, before its answer, that it was taken', () => {
    const absorber = new Absorber(new FakeTimers());
    absorber.onRequest(K1);
    absorber.taken(K1);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'pending', taken: true });
    absorber.onResponse(K1, OK);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'replay', response: OK });
  });

  it('replays the latest response sent', () => {
    const absorber = new Absorber(new FakeTimers());
    absorber.onRequest(K1);
    absorber.onResponse(K1, 'SIP/2.0 100 Trying\r\n\r\n');
    absorber.onResponse(K1, OK);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'replay', response: OK });
  });

  it('keeps requests apart by branch, sent-by and method', () => {
    const absorber = new Absorber(new FakeTimers());
    expect(absorber.onRequest(K1).kind).toBe('new');
    expect(absorber.onRequest(K2).kind).toBe('new');
    expect(absorber.onRequest(Absorber.key('z9hG4bK1', '192.0.2.9:5060', 'MESSAGE')).kind).toBe('new');
    expect(absorber.onRequest(Absorber.key('z9hG4bK1', '192.0.2.1:5060', 'CANCEL')).kind).toBe('new');
    expect(absorber.onRequest(Absorber.key('z9hG4bK1', '192.0.2.1:5060', 'message')).kind).toBe('pending');
    expect(absorber.size).toBe(4);
  });

  it('ignores a response for a request it never saw', () => {
    const absorber = new Absorber(new FakeTimers());
    absorber.onResponse(K1, OK);
    expect(absorber.size).toBe(0);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'new' });
  });

  it('remembers a request for 64*T1 and forgets it after that', () => {
    const timers = new FakeTimers(5_000);
    const absorber = new Absorber(timers);
    absorber.onRequest(K1);
    absorber.onResponse(K1, OK);
    timers.advance(TRANSACTION_TIMEOUT);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'replay', response: OK });
    timers.advance(1);
    expect(absorber.onRequest(K1)).toEqual({ kind: 'new' });
    expect(absorber.size).toBe(1);
  });

  it('expires old entries while keeping newer ones', () => {
    const timers = new FakeTimers();
    const absorber = new Absorber(timers);
    absorber.onRequest(K1);
    timers.advance(20_000);
    absorber.onRequest(K2);
    timers.advance(TRANSACTION_TIMEOUT - 20_000 + 1); // K1 is now older than 64*T1, K2 is not
    const k3 = Absorber.key('z9hG4bK3', 'h:1', 'MESSAGE');
    expect(absorber.onRequest(k3).kind).toBe('new');
    expect(absorber.size).toBe(2);
    expect(absorber.onRequest(K2).kind).toBe('pending');
    expect(absorber.onRequest(K1).kind).toBe('new');
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const absorber = new Absorber(new FakeTimers(), 3);
    const keys = [1, 2, 3, 4].map((n) => Absorber.key(`b${n}`, 'h:5060', 'MESSAGE'));
    for (const key of keys) expect(absorber.onRequest(key).kind).toBe('new');
    expect(absorber.size).toBe(3);
    expect(absorber.onRequest(keys[3]!).kind).toBe('pending');
    expect(absorber.onRequest(keys[1]!).kind).toBe('pending');
    expect(absorber.onRequest(keys[0]!).kind).toBe('new'); // was evicted; now evicts b2
    expect(absorber.size).toBe(3);
    expect(absorber.onRequest(keys[1]!).kind).toBe('new');
  });

  it('stays bounded under a flood of distinct requests', () => {
    const absorber = new Absorber(new FakeTimers(), 100);
    for (let i = 0; i < 5000; i++) absorber.onRequest(Absorber.key(`b${i}`, 'h:5060', 'MESSAGE'));
    expect(absorber.size).toBe(100);
    expect(absorber.absorbed).toBe(0);
  });
});
