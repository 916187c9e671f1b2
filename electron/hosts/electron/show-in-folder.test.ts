import { describe, expect, it } from 'vitest';
import type { FileTransfer } from '../../../shared/ipc.js';
import { showFileInFolder } from './show-in-folder.js';

const base: FileTransfer = {
  id: 'in1',
  peer: 'sip:bob@example.org',
  direction: 'in',
  name: 'a.pdf',
  size: 3,
  type: 'application/pdf',
  state: 'done',
  transferred: 3,
  savedAs: '/home/u/Downloads/Parley/a.pdf',
  startedAt: 0,
};

describe('showFileInFolder', () => {
  it('reveals the saved path of a received file, found by its id', async () => {
    const revealed: string[] = [];
    const show = showFileInFolder(
      (id) => [base].find((t) => t.id === id),
      (file) => revealed.push(file),
    );
    expect(await show({ id: 'in1' })).toEqual({ handled: true });
    expect(revealed).toEqual(['/home/u/Downloads/Parley/a.pdf']);
  });

  it('reveals nothing for an unknown id, a file we sent, or one not (yet) saved', async () => {
    const revealed: string[] = [];
    const list = [
      { ...base, id: 'out1', direction: 'out' as const, savedAs: '/etc/passwd' },
      { ...base, id: 'going', state: 'transferring' as const },
      { ...base, id: 'failed', state: 'failed' as const, savedAs: undefined },
    ];
    const show = showFileInFolder(
      (id) => list.find((t) => t.id === id),
      (file) => revealed.push(file),
    );
    for (const id of ['nope', 'out1', 'going', 'failed']) await expect(show({ id })).rejects.toThrow(/not received here/);
    expect(revealed).toEqual([]);
  });
});
