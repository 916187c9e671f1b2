/**
 * History through the `parley` command (tsx loads the TypeScript): the worker thread starts from
 * source there too, and answers the contract's history commands as JSON lines.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationExport, SearchHit } from '../../../shared/ipc.js';
import { tempDir } from '../../testing/cores.js';
import { openDatabase } from '../database.js';
import { seedConversation, seedMessages } from './testing/history-fixture.js';

const BIN = path.resolve(import.meta.dirname, '../../hosts/cli/parley.mjs');

let dataDir: string;

beforeAll(() => {
  dataDir = tempDir('parley-history-cli-');
  const db = openDatabase(dataDir);
  seedConversation(db, { id: 'c1', peer: 'sip:bob@example.org' });
  seedMessages(db, [
    { id: 'm1', conversationId: 'c1', body: 'Grüße aus Köln' },
    { id: 'm2', conversationId: 'c1', direction: 'out', body: 'Danke, grüße zurück' },
    { id: 'm3', conversationId: 'c1', body: 'bis bald' },
  ]);
  db.close();
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs `parley --jsonl` with these command lines on stdin; resolves with the results by id once it exits. */
function jsonl(commands: object[]): Promise<Map<number, { ok: boolean; value?: unknown; error?: { message: string } }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--jsonl', '--data', dataDir, '--listen', '127.0.0.1:0'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`parley exited ${code}: ${stderr}`));
      const results = new Map();
      for (const line of stdout.split('\n').filter(Boolean)) {
        const frame = JSON.parse(line) as { type: string; id: number };
        if (frame.type === 'result') results.set(frame.id, frame);
      }
      resolve(results);
    });
    child.stdin.end(commands.map((c) => JSON.stringify(c)).join('\n') + '\n');
  });
}

describe('history through the CLI', () => {
  it('pages, searches and exports with the worker started from source', async () => {
    const results = await jsonl([
      { id: 1, command: 'searchMessages', request: { query: 'GRÜßE' } },
      { id: 2, command: 'getMessages', request: { conversationId: 'c1', beforeId: 'm3', limit: 1 } },
      { id: 3, command: 'exportConversation', request: { conversationId: 'c1', format: 'text' } },
      { id: 4, command: 'exportConversation', request: { conversationId: 'nope', format: 'json' } },
      { id: 5, command: 'getMessages', request: { conversationId: 'c1', beforeId: 'm3', beforeAt: 5 } },
    ]);
    const hits = results.get(1)!.value as SearchHit[];
    expect(hits.map((h) => h.message.id)).toEqual(['m2', 'm1']);
    expect(hits.map((h) => h.ranges.map(([a, b]) => h.snippet.slice(a, b)))).toEqual([['grüße'], ['Grüße']]);
    expect((results.get(2)!.value as ChatMessage[]).map((m) => m.id)).toEqual(['m2']);
    const transcript = results.get(3)!.value as ConversationExport;
    expect(transcript.mimeType).toBe('text/plain');
    expect(transcript.content).toContain('Parley conversation with sip:bob@example.org\n');
    expect(transcript.content).toContain('(delivered): Danke, grüße zurück\n');
    expect(results.get(4)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'no conversation nope' } });
    expect(results.get(5)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});
