import { describe, expect, it } from 'vitest';
import type { Core } from '../core/core.js';
import { EventBus } from '../core/event-bus.js';
import { emptySnapshot, unusedCommands } from '../testing/host-fakes.js';
import { dispatch } from './dispatch.js';
import { withHostCommands } from './host-commands.js';

function coreWithBus() {
  const bus = new EventBus();
  let stopped = 0;
  let resumed = 0;
  const core: Core = {
    commands: {
      ...unusedCommands(),
      openConversationWindow: async () => ({ opened: false }),
      getSnapshot: async () => emptySnapshot(bus.lastSeq, { registration: { state: 'direct' } }),
    },
    subscribe: (listener) => bus.subscribe(listener),
    start: async () => {},
    stop: async () => {
      stopped++;
    },
    onResume: () => {
      resumed++;
    },
  };
  return { bus, core, counts: () => ({ stopped, resumed }) };
}

describe('withHostCommands', () => {
  it('answers the host’s own commands, validated like any other, and leaves the rest to the core', async () => {
    const { core } = coreWithBus();
    const opened: string[] = [];
    const hosted = withHostCommands(core, {
      openConversationWindow: async ({ conversationId }) => {
        opened.push(conversationId);
        return { opened: true };
      },
    });
    expect(await dispatch(hosted, 'openConversationWindow', { conversationId: 'c1' })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual(['c1']);
    expect(await dispatch(hosted, 'openConversationWindow', { conversationId: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(opened).toEqual(['c1']);
    expect(await dispatch(core, 'openConversationWindow', { conversationId: 'c1' })).toEqual({ ok: true, value: { opened: false } });
    expect(await dispatch(hosted, 'getSnapshot', {})).toMatchObject({ ok: true, value: { registration: { state: 'direct' } } });
  });

  it('passes events and the lifecycle through to the core', async () => {
    const { bus, core, counts } = coreWithBus();
    const hosted = withHostCommands(core, {});
    const seen: string[] = [];
    const unsubscribe = hosted.subscribe((event) => seen.push(event.type));
    bus.emit({ type: 'notice', level: 'info', text: 'hello' });
    unsubscribe();
    bus.emit({ type: 'notice', level: 'info', text: 'not seen' });
    hosted.onResume?.();
    await hosted.stop();
    expect(seen).toEqual(['notice']);
    expect(counts()).toEqual({ stopped: 1, resumed: 1 });
    expect(hosted.onNetworkChange).toBeUndefined();
  });
});
