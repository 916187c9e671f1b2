/**
 * DocumentSync's retry: an edit whose write met an unreachable server is written once the server
 * answers again, without another edit (a fake XCAP client; the merge and the server are in the
 * integration tests beside this one).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { XcapError, type XcapClient, type XcapRead, type XcapWrite } from '../../../sip/xcap/xcap-client.js';
import { silentLogger } from '../../../support/logger.js';
import { DocumentSync, SYNC_RETRY, type DocumentKind, type DocumentSyncState } from './document-sync.js';

const kind: DocumentKind<string> = {
  auid: 'test-auid',
  contentType: 'text/plain',
  title: 'The test document',
  encode: (value) => value,
  decode: (body) => body,
  merge: (_base, local) => local,
  same: (a, b) => a === b,
  empty: '',
};

/** A server holding one document; `down` makes every request fail as unreachable. */
function fakeServer() {
  const server = { body: 'v1', etag: 'e1', down: false, puts: [] as string[] };
  const client = {
    async get(): Promise<XcapRead> {
      if (server.down) throw new XcapError('network', 'the XCAP server cannot be reached (TypeError)');
      return { found: true, etag: server.etag, body: server.body };
    },
    async put(_auid: string, body: string, _type: string, etag: string | null | undefined): Promise<XcapWrite> {
      if (server.down) throw new XcapError('network', 'the XCAP server cannot be reached (TypeError)');
      if (etag !== server.etag) return { ok: false, conflict: true };
      server.puts.push(body);
      server.body = body;
      server.etag = `e${server.puts.length + 1}`;
      return { ok: true, etag: server.etag };
    },
  };
  return { server, client: client as unknown as XcapClient };
}

describe('DocumentSync', () => {
  afterEach(() => vi.useRealTimers());

  it('writes an edit the unreachable server missed once it answers again, with no new edit', async () => {
    vi.useFakeTimers();
    const { server, client } = fakeServer();
    let local = 'v1';
    let state: DocumentSyncState<string> | undefined;
    const notices: string[] = [];
    const sync = new DocumentSync({
      client,
      kind,
      logger: silentLogger,
      local: () => local,
      apply: (value) => (local = value),
      loadState: () => state,
      saveState: (saved) => (state = saved),
      notice: (text) => notices.push(text),
    });
    await sync.start();
    expect(state).toEqual({ etag: 'e1', base: 'v1' });

    server.down = true;
    local = 'v2';
    sync.localChanged();
    await sync.idle();
    expect(server.puts).toEqual([]);
    expect(notices).toHaveLength(1);

    // still down at the first retry: tried, and put off again
    await vi.advanceTimersByTimeAsync(SYNC_RETRY.firstMs * 1.25);
    await sync.idle();
    expect(server.puts).toEqual([]);

    server.down = false;
    await vi.advanceTimersByTimeAsync(SYNC_RETRY.firstMs * 2 * 1.25);
    await sync.idle();
    expect(server.puts).toEqual(['v2']);
    expect(state).toEqual({ etag: 'e2', base: 'v2' });
    expect(notices).toHaveLength(1); // the same trouble is told once
    sync.stop();
  });

  it('once stopped, a reply still on its way touches nothing on the device (its storage may be closed)', async () => {
    const { client } = fakeServer();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowGet = client.get.bind(client);
    client.get = async (...args) => {
      await gate;
      return slowGet(...args);
    };
    const touched: string[] = [];
    const sync = new DocumentSync({
      client,
      kind,
      logger: silentLogger,
      local: () => 'local',
      apply: () => touched.push('apply'),
      loadState: () => undefined,
      saveState: () => touched.push('saveState'),
      notice: () => touched.push('notice'),
    });
    const started = sync.start();
    sync.stop();
    release();
    await started;
    expect(touched).toEqual([]);
  });

  it('a fault in the caller is logged, and the pass settles instead of rejecting', async () => {
    const { client } = fakeServer();
    const errors: string[] = [];
    const sync = new DocumentSync({
      client,
      kind,
      logger: { ...silentLogger, error: (message) => errors.push(message) },
      local: () => 'local',
      apply: () => undefined,
      loadState: () => undefined,
      saveState: () => {
        throw new TypeError('The database connection is not open');
      },
      notice: () => undefined,
    });
    await expect(sync.start()).resolves.toBeUndefined();
    expect(errors).toEqual(['XCAP document sync failed unexpectedly']);
    sync.stop();
  });
});
