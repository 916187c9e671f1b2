/**
 * What the file-transfer integration tests share: random files with their SHA-1, the
 * `file-transfer` events to wait for, and this process's MSRP sockets (both Parleys of a test run
 * in it) to cut a transfer's connection and count what a connection carried.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { FileTransfer, SequencedEvent } from '../../../../shared/ipc.js';
import { tempDir } from '../../../testing/cores.js';

/** A file of `size` random bytes in a folder of its own (listed in `folders` for removal); its path and SHA-1. */
export function makeFile(folders: string[], name: string, size: number): { file: string; sha1: string } {
  const folder = tempDir('parley-files-');
  folders.push(folder);
  const file = path.join(folder, name);
  const hash = createHash('sha1');
  const fd = fs.openSync(file, 'w');
  for (let left = size; left > 0;) {
    const piece = randomBytes(Math.min(left, 1024 * 1024));
    fs.writeSync(fd, piece);
    hash.update(piece);
    left -= piece.length;
  }
  fs.closeSync(fd);
  return { file, sha1: hash.digest('hex') };
}

/** SHA-1 of a file, streamed (files of the tests go up to 100 MB). */
export function sha1Of(file: string): string {
  const hash = createHash('sha1');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1024 * 1024);
  for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  fs.closeSync(fd);
  return hash.digest('hex');
}

export const isTransfer =
  (match: (t: FileTransfer) => boolean) =>
  (e: SequencedEvent): e is SequencedEvent & { type: 'file-transfer'; transfer: FileTransfer } =>
    e.type === 'file-transfer' && match(e.transfer);
export const isOffer = isTransfer((t) => t.direction === 'in' && t.state === 'offered');
export const settled = (id: string) => isTransfer((t) => t.id === id && ['done', 'failed', 'declined', 'cancelled'].includes(t.state));
export const inState = (id: string, state: FileTransfer['state']) => isTransfer((t) => t.id === id && t.state === state);

/**
 * Every plain TCP socket this process makes or accepts, from the moment this module is loaded
 * (Node's diagnostics channels): the handle list (`process._getActiveHandles`) leaves out a socket
 * that is neither reading nor writing at that instant, so a test could miss the one carrying a
 * transfer. The handle list still gives the TLS sockets (the channels name the TCP socket under one).
 */
const made = new Set<net.Socket>();
const track = (message: unknown) => {
  const socket = (message as { socket: net.Socket }).socket;
  made.add(socket);
  socket.once('close', () => made.delete(socket));
};
diagnostics.subscribe('net.client.socket', track);
diagnostics.subscribe('net.server.socket', track);

/** This process's open TCP sockets to or from loopback (the tests' SIP goes over UDP, so these are MSRP). */
export function loopbackSockets(): net.Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const sockets = new Set([...handles.filter((h): h is net.Socket => h instanceof net.Socket), ...made]);
  // A TLS socket and the TCP socket under it are one connection: the TLS one stands for it.
  for (const socket of sockets)
    if (socket instanceof tls.TLSSocket) sockets.delete((socket as unknown as { _parent?: net.Socket })._parent!);
  return [...sockets].filter((s) => !s.destroyed && s.remotePort !== undefined && s.remoteAddress === '127.0.0.1');
}

/**
 * The first loopback socket (of those `which` keeps) to write more than `bytes` from now on, as soon
 * as it has (polled every millisecond, so within a chunk or two of the mark; the caller's `then`
 * runs before any more I/O). Waiting for a progress event instead could come too late: they are
 * 100 ms apart, and a loopback copy moves 60 MB in less.
 */
export function firstToWrite(bytes: number, which: (s: net.Socket) => boolean = () => true, timeoutMs = 120_000): Promise<net.Socket> {
  const baseline = new Map(loopbackSockets().map((s) => [s, s.bytesWritten]));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const sockets = loopbackSockets().filter(which);
      const carrying = sockets.find((s) => s.bytesWritten - (baseline.get(s) ?? 0) > bytes);
      if (carrying) {
        clearInterval(timer);
        resolve(carrying);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        const seen = sockets.map((s) => `${s.localPort}->${s.remotePort}: ${s.bytesWritten} written`).join(', ');
        reject(new Error(`no socket wrote ${bytes} bytes within ${timeoutMs} ms; the sockets: ${seen}`));
      }
    }, 1);
  });
}

/** Cuts the connection carrying a transfer once it has written `bytes` more (see `firstToWrite`). */
export async function cutAfterWritten(bytes: number, which?: (s: net.Socket) => boolean): Promise<void> {
  (await firstToWrite(bytes, which)).destroy();
}

/**
 * Watches the loopback sockets opened from now on (polled), and tells the most bytes any one of
 * them wrote (read when it closes, or at `stop`): what one connection carried of a transfer.
 */
export function watchNewSockets(): { stop(): number } {
  const before = new Set(loopbackSockets());
  const written = new Map<net.Socket, number>();
  const look = () => {
    for (const socket of loopbackSockets()) {
      if (before.has(socket) || written.has(socket)) continue;
      written.set(socket, 0);
      socket.once('close', () => written.set(socket, socket.bytesWritten));
    }
  };
  const timer = setInterval(look, 10);
  return {
    stop() {
      clearInterval(timer);
      for (const socket of written.keys()) if (!socket.destroyed) written.set(socket, socket.bytesWritten);
      return Math.max(0, ...written.values());
    },
  };
}
