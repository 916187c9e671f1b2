/**
 * What goes out on one WebSocket: the core's events of one turn of the event loop travel together
 * in one `events` frame, each serialised as it comes and the frame cut at MAX_EVENTS_FRAME_BYTES (so
 * one turn with many large events, a roster of thousands once per added contact, never becomes one
 * string too large to build); a command's result never overtakes the events before it; a client
 * too far behind is disconnected (it reconnects and re-reads the snapshot).
 */
import { WebSocket } from 'ws';
import type { SequencedEvent, WsServerFrame } from '../../../shared/ipc.js';
import type { Logger } from '../../support/logger.js';

/** A client this far behind on events is disconnected; it reconnects and re-reads the snapshot. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Events of one turn travel together up to this size, then in the next frame. */
const MAX_EVENTS_FRAME_BYTES = 1024 * 1024;

export type ResultFrame = Extract<WsServerFrame, { kind: 'result' }>;

export interface FrameSender {
  /** Queue an event for this turn's events frame. */
  event(event: SequencedEvent): void;
  /** Send a command's result, after the events queued before it. */
  result(frame: ResultFrame): void;
}

export function frameSender(ws: WebSocket, logger: Logger): FrameSender {
  /** This turn's events, each already serialised. */
  let queued: { texts: string[]; bytes: number } | undefined;

  function sendFrame(text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1013, 'too far behind: reconnect and reload the snapshot');
      return;
    }
    ws.send(text);
  }

  function flushEvents(): void {
    const events = queued;
    if (!events) return;
    queued = undefined;
    sendFrame(`{"kind":"events","events":[${events.texts.join(',')}]}`);
  }

  return {
    event(event) {
      let text: string;
      try {
        text = JSON.stringify(event);
      } catch (error) {
        logger.error('browser host: cannot serialise an event', { error, type: event.type, seq: event.seq });
        return;
      }
      if (queued && queued.bytes + text.length > MAX_EVENTS_FRAME_BYTES) flushEvents();
      if (!queued) {
        const mine = { texts: [], bytes: 0 };
        queued = mine;
        setImmediate(() => queued === mine && flushEvents());
      }
      queued.texts.push(text);
      queued.bytes += text.length;
    },

    result(frame) {
      flushEvents();
      let text: string;
      try {
        text = JSON.stringify(frame);
      } catch (error) {
        logger.error('browser host: cannot serialise a frame', { error });
        text = JSON.stringify({
          kind: 'result',
          id: frame.id,
          outcome: { ok: false, error: { code: 'internal', message: 'the result could not be serialised' } },
        } satisfies WsServerFrame);
      }
      sendFrame(text);
    },
  };
}
