/**
 * XcapClient against a raw HTTP server that closes a kept-alive connection when it is used again,
 * as Kamailio's xhttp does with idle ones: the request goes once more on a new connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { XcapClient, XcapError } from './xcap-client.js';

const DOCUMENT = '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"/>';

/** Answers the first request on each connection; a second one on the same connection: closed unanswered. */
function closingServer(): { server: Server; requests: string[]; connections: number } {
  const state = { server: undefined as unknown as Server, requests: [] as string[], connections: 0 };
  state.server = createServer((socket: Socket) => {
    state.connections++;
    let answered = false;
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.slice(0, end);
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? '0');
      if (buffer.length < end + 4 + length) return;
      buffer = buffer.slice(end + 4 + length);
      state.requests.push(head.split('\r\n')[0]!);
      if (answered) {
        socket.destroy(); // the idle connection closed as the client reused it
        return;
      }
      answered = true;
      const body = head.startsWith('GET') ? DOCUMENT : '';
      socket.write(
        `HTTP/1.1 200 OK\r\nETag: "e${state.requests.length}"\r\nContent-Type: application/resource-lists+xml\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
      );
    });
  });
  return state;
}

describe('XcapClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function start() {
    const state = closingServer();
    server = state.server;
    await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
    const port = (state.server.address() as { port: number }).port;
    const client = new XcapClient({ root: `http://127.0.0.1:${port}/xcap-root`, xui: 'sip:alice@example.org' });
    return { state, client };
  }

  it('sends a request again on a new connection when the kept-alive one was closed under it', async () => {
    const { state, client } = await start();
    expect(await client.get('resource-lists')).toEqual({ found: true, etag: '"e1"', body: DOCUMENT });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the connection back in the pool, idle
    const written = await client.put('resource-lists', DOCUMENT, 'application/resource-lists+xml', '"e1"');
    expect(written.ok).toBe(true);
    // the PUT met the closed connection first, then went again on a new one
    expect(state.requests.filter((line) => line.startsWith('PUT'))).toHaveLength(2);
    expect(state.connections).toBe(2);
  });

  it('gives up with a network error when nothing listens', async () => {
    const { state, client } = await start();
    await new Promise<void>((resolve) => state.server.close(() => resolve()));
    server = undefined;
    await expect(client.get('resource-lists')).rejects.toBeInstanceOf(XcapError);
  });
});
