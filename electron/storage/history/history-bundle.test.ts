/**
 * The packaged app runs bundles, not TypeScript: main.cjs (with the history client inside) starts
 * history-worker.cjs, which electron/build.ts writes beside it. Checked with the real build output
 * and a stand-in for main.cjs bundled the same way (main.cjs itself needs Electron to run).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElectron, CJS_IMPORT_META_URL, MAIN_EXTERNALS } from '../../build.js';
import { tempDir } from '../../testing/cores.js';
import { openDatabase } from '../database.js';
import { seedConversation, seedMessages } from './testing/history-fixture.js';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = tempDir('parley-history-bundle-');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the bundled history worker', () => {
  it('is built beside main.cjs and answers the bundled client', async () => {
    const outDir = path.join(dir, 'electron');
    const { historyWorker } = await buildElectron({ outDir });
    expect(path.dirname(historyWorker)).toBe(outDir);

    const db = openDatabase(path.join(dir, 'data'));
    seedConversation(db, { id: 'c1' });
    seedMessages(db, [{ id: 'm1', conversationId: 'c1', body: 'bundled and working' }]);
    db.close();

    const probe = path.join(dir, 'probe.ts');
    fs.writeFileSync(
      probe,
      `import { HistoryClient } from ${JSON.stringify(path.join(root, 'electron/storage/history/history-client.ts'))};
       const client = new HistoryClient(process.argv[2]);
       client.search('BUNDLED work', undefined, 10)
         .then((hits) => console.log(JSON.stringify(hits.map((h) => h.message.id))))
         .finally(() => client.close());`,
    );
    await build({
      entryPoints: [probe],
      outfile: path.join(outDir, 'probe.cjs'),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
      external: MAIN_EXTERNALS,
      ...CJS_IMPORT_META_URL,
    });
    // The bundles sit outside the repository: better-sqlite3 (external, native) comes from its node_modules.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(outDir, 'probe.cjs'), path.join(dir, 'data', 'parley.sqlite')],
      {
        env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
      },
    );
    expect(JSON.parse(stdout)).toEqual(['m1']);
  }, 60_000);
});
