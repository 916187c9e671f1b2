/** The CLI subcommands: listen, send and the JSON-lines contract. */
import readline from 'node:readline';
import { WsRequest, type ChatMessage, type Reason, type SequencedEvent } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { createParley, type ParleyOptions } from '../compose.js';
import { dispatch } from '../dispatch.js';
import { streamEvents, withWords, writeLine } from './output.js';

/** Resolves on the first SIGINT/SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function listen(options: ParleyOptions): Promise<number> {
  const core = await createParley(options);
  const unsubscribe = await streamEvents(core, (event) => writeLine(withWords(event)));
  await untilSignal();
  await core.stop(); // unregisters; its events are still printed
  unsubscribe();
  return 0;
}

const SEND_TIMEOUT_MS = 40_000;

export async function send(options: ParleyOptions, to: string, text: string): Promise<number> {
  const core = await createParley({ ...options, register: false });
  try {
    // Outcomes are kept by message id, so one that arrives before sendMessage returns is not missed.
    const outcomes = new Map<string, SequencedEvent>();
    let wake = () => {};
    core.subscribe((event) => {
      if (event.type === 'delivery' && event.state !== 'sending' && event.state !== 'queued') {
        outcomes.set(event.id, event);
        wake();
      }
    });
    const sent = await dispatch(core, 'sendMessage', { to, body: text });
    if (!sent.ok) {
      writeLine({ type: 'error', ...sent.error });
      return 2;
    }
    const message = sent.value as ChatMessage;
    const deadline = Date.now() + SEND_TIMEOUT_MS;
    while (!outcomes.has(message.id) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
    const outcome = outcomes.get(message.id) as (SequencedEvent & { type: 'delivery' }) | undefined;
    const state = outcome?.state ?? 'failed';
    const reason: Reason | undefined = outcome ? outcome.reason : { code: 'delivery.no-outcome' };
    writeLine({
      type: 'delivery',
      id: message.id,
      state,
      ...(outcome?.code !== undefined ? { code: outcome.code } : {}),
      ...(reason ? { reason, reasonText: wordReason(reason) } : {}),
      to: message.to,
      callId: message.callId,
      cseq: message.cseq,
      conversationId: message.conversationId,
    });
    return state === 'delivered' || state === 'stored' ? 0 : 1;
  } finally {
    await core.stop();
  }
}

/** Contract commands as JSON lines: {"id":1,"command":"sendMessage","request":{...}} -> {"type":"result","id":1,"ok":true,"value":...}. */
export async function jsonl(options: ParleyOptions): Promise<number> {
  const core = await createParley(options);
  const unsubscribe = await streamEvents(core, (event) => writeLine(withWords(event)));
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const pending = new Set<Promise<void>>();
  const handle = async (line: string) => {
    if (!line.trim()) return;
    let frame: unknown;
    try {
      frame = JSON.parse(line);
    } catch {
      writeLine({ type: 'result', id: null, ok: false, error: { code: 'invalid-request', message: 'not JSON' } });
      return;
    }
    const request = WsRequest.partial({ id: true }).safeParse(frame);
    if (!request.success) {
      writeLine({
        type: 'result',
        id: null,
        ok: false,
        error: { code: 'invalid-request', message: 'expected {"id":n,"command":"...","request":{...}}' },
      });
      return;
    }
    const outcome = await dispatch(core, request.data.command, request.data.request);
    writeLine({ type: 'result', id: request.data.id ?? null, ...outcome });
  };
  lines.on('line', (line) => {
    const work = handle(line).finally(() => pending.delete(work));
    pending.add(work);
  });
  await Promise.race([new Promise<void>((resolve) => lines.once('close', () => resolve())), untilSignal()]);
  await Promise.all(pending);
  await core.stop();
  unsubscribe();
  return 0;
}
