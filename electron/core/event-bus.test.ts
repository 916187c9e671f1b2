import { describe, expect, it } from 'vitest';
import type { ParleyEvent, SequencedEvent } from '../../shared/ipc.js';
import { EventBus } from './event-bus.js';

const notice = (text: string): ParleyEvent => ({ type: 'notice', level: 'info', text });

describe('EventBus', () => {
  it('numbers events from 1 upwards and reports the last number', () => {
    const bus = new EventBus();
    expect(bus.lastSeq).toBe(0);
    expect(bus.emit(notice('a')).seq).toBe(1);
    expect(bus.emit(notice('b')).seq).toBe(2);
    expect(bus.emit(notice('c'))).toEqual({ type: 'notice', level: 'info', text: 'c', seq: 3 });
    expect(bus.lastSeq).toBe(3);
  });

  it('numbers events even with no listener, and does not change the event passed in', () => {
    const bus = new EventBus();
    const event = notice('x');
    bus.emit(event);
    expect(event).toEqual({ type: 'notice', level: 'info', text: 'x' });
    expect(bus.lastSeq).toBe(1);
  });

  it('delivers every event to every listener in order', () => {
    const bus = new EventBus();
    const a: SequencedEvent[] = [];
    const b: number[] = [];
    bus.subscribe((e) => a.push(e));
    bus.subscribe((e) => b.push(e.seq));
    bus.emit(notice('1'));
    bus.emit({ type: 'registration', state: 'registered', expires: 600 });
    expect(a.map((e) => e.type)).toEqual(['notice', 'registration']);
    expect(b).toEqual([1, 2]);
  });

  it('a throwing listener does not stop the others, and its error is reported', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((error) => errors.push(error));
    const before: number[] = [];
    const after: number[] = [];
    bus.subscribe((e) => before.push(e.seq));
    bus.subscribe(() => {
      throw new Error('window gone');
    });
    bus.subscribe((e) => after.push(e.seq));
    const returned = bus.emit(notice('x'));
    bus.emit(notice('y'));
    expect(returned.seq).toBe(1);
    expect(before).toEqual([1, 2]);
    expect(after).toEqual([1, 2]);
    expect(errors).toHaveLength(2);
    expect((errors[0] as Error).message).toBe('window gone');
  });

  it('swallows listener errors by default', () => {
    const bus = new EventBus();
    bus.subscribe(() => {
      throw new Error('x');
    });
    expect(() => bus.emit(notice('x'))).not.toThrow();
  });

  it('stops delivering after unsubscribe', () => {
    const bus = new EventBus();
    const seen: number[] = [];
    const unsubscribe = bus.subscribe((e) => seen.push(e.seq));
    bus.emit(notice('1'));
    unsubscribe();
    bus.emit(notice('2'));
    expect(seen).toEqual([1]);
  });

  it('a listener added during an emit first hears the next event; one removed during an emit still hears the current one', () => {
    const bus = new EventBus();
    const late: number[] = [];
    const removed: number[] = [];
    let unsubscribeOther: () => void = () => {};
    bus.subscribe((e) => {
      if (e.seq === 1) {
        bus.subscribe((x) => late.push(x.seq));
        unsubscribeOther();
      }
    });
    unsubscribeOther = bus.subscribe((e) => removed.push(e.seq));
    bus.emit(notice('1'));
    bus.emit(notice('2'));
    expect(late).toEqual([2]);
    expect(removed).toEqual([1]);
  });
});
