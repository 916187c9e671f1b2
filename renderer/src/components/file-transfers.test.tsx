import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, FileTransfer } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { StoreProvider } from '../store/context.js';
import { applyEvent, type ReadModel } from '../store/model.js';
import { createAppStore } from '../store/store.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { FileTransfers, useStripCards } from './FileTransfers.js';
import { MessageItem } from './MessageItem.js';

const offer: FileTransfer = {
  id: 't1',
  peer: 'sip:bob@example.org',
  direction: 'in',
  name: '<img src=x onerror=alert(1)>.png',
  size: 3 * 1024 * 1024,
  type: 'image/png',
  state: 'offered',
  transferred: 0,
  startedAt: 1,
};

function Strip({ conversationId }: { conversationId?: string }) {
  return <FileTransfers cards={useStripCards('sip:bob@Example.org:5060', conversationId)} />;
}

/** The store after the core's `file-transfer` events (and `messages` held), rendered for bob's conversation. */
function render(...transfers: FileTransfer[]): string {
  return renderWith({}, ...transfers);
}

function renderWith(messages: ReadModel['messages'], ...transfers: FileTransfer[]): string {
  const store = createAppStore(fakeClient().api);
  store.setState({ messages });
  let seq = 0;
  for (const transfer of transfers) store.setState((s) => applyEvent(s, { type: 'file-transfer', transfer, seq: ++seq }));
  return renderToStaticMarkup(
    <StoreProvider store={{ ...store, getInitialState: store.getState }}>
      <Strip conversationId="c1" />
    </StoreProvider>,
  );
}

/** A file message as the history gives it (after a restart: no live transfer), rendered in the list. */
function renderMessage(file: FileTransfer, live?: FileTransfer): string {
  const store = createAppStore(fakeClient().api);
  if (live) store.setState((s) => applyEvent(s, { type: 'file-transfer', transfer: live, seq: 1 }));
  return renderToStaticMarkup(
    <StoreProvider store={{ ...store, getInitialState: store.getState }}>
      <MessageItem message={fileMessage(file)} day={null} groupStart groupEnd now={0} />
    </StoreProvider>,
  );
}

function fileMessage(file: FileTransfer): ChatMessage {
  return {
    id: file.id,
    conversationId: 'c1',
    direction: file.direction,
    from: file.peer,
    to: 'sip:alice@example.org',
    callId: '',
    cseq: 0,
    contentType: file.type,
    body: file.name,
    at: 1,
    state: 'received',
    file,
  };
}

describe('FileTransfers', () => {
  it('shows an offer as a card with its name as text, its size, and Accept and Decline', () => {
    const html = render(offer);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
    expect(html).not.toContain('<img');
    expect(html).toContain('3.0 MB');
    expect(html).toContain('data-testid="file-accept"');
    expect(html).toContain('data-testid="file-decline"');
  });

  it('a later event replaces the transfer: progress with Cancel, then done with where it was saved', () => {
    const going = render(offer, { ...offer, state: 'transferring', transferred: 1024 * 1024 });
    expect(going).toContain('33%');
    expect(going).toContain('<progress');
    expect(going).toContain('data-testid="file-cancel"');
    expect(going).not.toContain('file-accept');
    const done = render(offer, { ...offer, state: 'done', transferred: offer.size, savedAs: '/home/u/Downloads/Parley/a.png' });
    expect(done).toContain('Saved to /home/u/Downloads/Parley/a.png');
    expect(done).not.toContain('<progress');
  });

  it('a failure shows its reason; transfers with other peers are not shown', () => {
    expect(render({ ...offer, state: 'failed', reason: 'the file does not match the hash its sender offered' })).toContain(
      'does not match the hash',
    );
    expect(render({ ...offer, peer: 'sip:carol@example.org' })).toBe('');
  });

  it("an interrupted transfer: the sender's card has Resume and Cancel, the receiver's waits with Cancel only", () => {
    const cut = { ...offer, state: 'interrupted' as const, transferred: 1024 * 1024, reason: 'the connection broke' };
    const sending = render({ ...cut, direction: 'out' });
    expect(sending).toContain('data-testid="file-resume"');
    expect(sending).toContain('data-testid="file-cancel"');
    expect(sending).toContain('the connection broke');
    const receiving = render(cut);
    expect(receiving).not.toContain('file-resume');
    expect(receiving).toContain('waiting for the sender to resume');
    expect(receiving).toContain('data-testid="file-cancel"');
  });

  it('formats sizes as people read them', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1536)).toBe('1.5 KB');
  });

  it('leaves out of the strip a transfer whose message is in the list: its card stands there, in time order', () => {
    expect(renderWith({ c1: [fileMessage(offer)] }, offer)).toBe('');
    expect(renderWith({ c2: [fileMessage(offer)] }, offer)).toContain('data-testid="file-transfer"');
  });
});

describe('a file message in the list', () => {
  const saved = { ...offer, name: 'a.png', state: 'done' as const, transferred: offer.size, savedAs: '/home/u/Downloads/Parley/a.png' };

  it('shows the stored transfer with how it ended, and the live one over it while this run knows it', () => {
    const failed = renderMessage({ ...offer, state: 'failed', reason: 'Parley was closed during the transfer' });
    expect(failed).toContain('Not received');
    expect(failed).toContain('Parley was closed during the transfer');
    expect(failed).not.toContain('file-accept');
    expect(renderMessage(offer, { ...offer, state: 'transferring', transferred: 1024 * 1024 })).toContain('33%');
    expect(renderMessage(saved)).toContain('Saved to /home/u/Downloads/Parley/a.png');
  });

  it('says when a received file is no longer there, with no preview and no Show in folder', () => {
    const gone = renderMessage({ ...saved, missing: true });
    expect(gone).toContain('No longer in /home/u/Downloads/Parley/a.png');
    expect(gone).not.toContain('Saved to');
    expect(gone).not.toContain('file-show');
    expect(gone).not.toContain('file-preview');
  });
});
