/**
 * One bound UDP socket: the datagram half of a listening socket set. Each datagram is one SIP
 * message (RFC 3261 §18.3: no framing on datagrams); a CRLF keep-alive datagram is dropped.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { InboundHandler } from './flow.js';

export class UdpEndpoint {
  private socket?: dgram.Socket;

  constructor(
    private readonly onInbound: InboundHandler,
    private readonly onError: (error: Error) => void,
    private readonly maxDatagram = 65_507,
  ) {}

  async bind(host: string, port: number): Promise<number> {
    const type = isIP(host) === 6 ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type, reuseAddr: false });
    socket.on('message', (data, rinfo) => {
      if (data.length > this.maxDatagram) return;
      // RFC 5626 §4.4.1 STUN keep-alives or bare CRLF: nothing to deliver.
      if (data.length <= 4 && data.toString('latin1').trim() === '') return;
      this.onInbound(data.toString('utf8'), { transport: 'udp', host: rinfo.address, port: rinfo.port });
    });
    socket.on('error', (error) => this.onError(error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
    return socket.address().port;
  }

  send(data: Buffer | string, host: string, port: number): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('UDP socket is not open'));
    return new Promise((resolve, reject) => socket.send(data, port, host, (error) => (error ? reject(error) : resolve())));
  }

  get port(): number | undefined {
    return this.socket?.address().port;
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
