import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParleyEvent } from '../../../shared/ipc.js';
import { openDatabase, type Db } from '../../storage/database.js';
import { MessagesRepo } from '../../storage/messages-repo.js';
import { silentLogger } from '../../support/logger.js';
import { BatchWriter } from './batch-writer.js';

describe('BatchWriter', () => {
  let dir: string;
  let db: Db;
  let repo: MessagesRepo;
  let events: ParleyEvent[];
  let writer: BatchWriter;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-batch-'));
    db = openDatabase(dir);
    repo = new MessagesRepo(db);
    events = [];
    writer = new BatchWriter({ repo, emit: (event) => events.push(event), logger: silentLogger });
    repo.createConversation({ id: 'c1', peer: 'sip:bob@example.org', callId: 'k1', lastActivity: 0, unread: 0 });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores a turn of sends together, updates each conversation once and announces it once', async () => {
    const sends = [10, 30, 20].map((at) =>
      writer.stored(() => {
        writer.touch('c1', at, 1);
        return at;
      }),
    );
    expect(await Promise.all(sends)).toEqual([10, 30, 20]);
    expect(repo.conversation('c1')).toMatchObject({ lastActivity: 30, unread: 3 });
    expect(events).toEqual([{ type: 'conversation', conversation: expect.objectContaining({ id: 'c1', unread: 3 }) }]);
  });

  it('a send that cannot be stored fails alone; the others of its turn are stored', async () => {
    const good = writer.stored(() => {
      writer.touch('c1', 5, 1);
      return 'good';
    });
    const bad = writer.stored(() => {
      writer.touch('c1', 99, 100);
      throw new Error('no such window');
    });
    expect(await good).toBe('good');
    await expect(bad).rejects.toThrow('no such window');
    // The failed send's touch went with its savepoint: only the good one counts.
    expect(repo.conversation('c1')).toMatchObject({ lastActivity: 5, unread: 1 });
  });

  it('received messages are answered in order after their batch commits, or all refused when it fails', async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      writer.received(
        () => 'a',
        (result) => order.push(`a:${result.ok}`),
      );
      writer.received(
        () => 'b',
        (result) => {
          order.push(`b:${result.ok}`);
          resolve();
        },
      );
    });
    expect(order).toEqual(['a:true', 'b:true']);
    await new Promise<void>((resolve) => {
      writer.received(
        () => {
          writer.touch('c1', 1000, 1);
          return 'c';
        },
        (result) => order.push(`c:${result.ok}`),
      );
      writer.received(
        () => {
          throw new Error('disk full');
        },
        (result) => {
          order.push(`d:${result.ok}`);
          resolve();
        },
      );
    });
    expect(order.slice(2)).toEqual(['c:false', 'd:false']);
    expect(repo.conversation('c1')).toMatchObject({ lastActivity: 0, unread: 0 });
  });
});
