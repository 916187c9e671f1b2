import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { FileTransfer } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { StoreProvider } from '../store/context.js';
import { applyEvent } from '../store/model.js';
import { createAppStore } from '../store/store.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { FileTransfers } from './FileTransfers.js';

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

/** The store after the core's `file-transfer` events, rendered for bob's conversation. */
function render(...transfers: FileTransfer[]): string {
  const store = createAppStore(fakeClient().api);
  let seq = 0;
  for (const transfer of transfers) store.setState((s) => applyEvent(s, { type: 'file-transfer', transfer, seq: ++seq }));
  return renderToStaticMarkup(
    <StoreProvider store={{ ...store, getInitialState: store.getState }}>
      <FileTransfers peer="sip:bob@Example.org:5060" />
    </StoreProvider>,
  );
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
});
