import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserAgent } from '../../../sip/user-agent.js';
import { openDatabase, type Db } from '../../../storage/database.js';
import { PresenceRepo } from '../../../storage/presence-repo.js';
import { silentLogger } from '../../../support/logger.js';
import { audienceViews, effectiveStatus } from '../policy/index.js';
import type { FilterVerdict } from './class-filter-check.js';
import { GroupViews } from './group-views.js';

const UA = {} as UserAgent;

describe('per-group views: when they are on', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function setUp(verdicts: FilterVerdict[]) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-views-'));
    db = openDatabase(dir);
    const repo = new PresenceRepo(db);
    repo.saveGroup({ id: 'friends', name: 'Friends' });
    repo.saveContact({ aor: 'sip:bob@x', groups: ['friends'] });
    const changes: boolean[] = [];
    let checks = 0;
    const views = () => audienceViews(effectiveStatus({ profiles: repo.profiles(), schedule: repo.schedule(), manual: undefined }, 0));
    const groupViews = new GroupViews({
      repo,
      aor: 'sip:alice@x',
      logger: silentLogger,
      views,
      changed: (on) => changes.push(on),
      check: async () => {
        checks++;
        return verdicts.shift() ?? 'unknown';
      },
    });
    groupViews.attach(UA);
    return { repo, groupViews, changes, checks: () => checks };
  }

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('checked only once the rules and the publication are both on the server; on only when the server filters', async () => {
    const { groupViews, changes, checks } = setUp(['filters', 'does-not-filter']);
    expect(groupViews.publication()).toMatchObject({ kind: 'classed', classes: [{ cls: groupViews.rulesViews().shared }] });
    groupViews.published();
    await settle();
    expect(checks()).toBe(0);
    groupViews.rulesSynced();
    await settle();
    expect(checks()).toBe(1);
    expect(groupViews.enabled).toBe(true);
    // one tuple for everyone else and one for bob's audience, none of the shared class
    const published = groupViews.publication();
    const classes = published.kind === 'classed' ? published.classes.map((c) => c.cls) : [];
    expect(classes).toHaveLength(2);
    expect(classes).toContain(groupViews.rulesViews().classes['sip:bob@x']);
    expect(classes).not.toContain(groupViews.rulesViews().shared);
    // the next write of the rules: checked again, and the server no longer filters
    groupViews.rulesSynced();
    await settle();
    expect(checks()).toBe(2);
    expect(changes).toEqual([true, false]);
  });

  it("a check that proves nothing keeps them off; another device's key turns them off until checked again", async () => {
    const { groupViews, changes, repo } = setUp(['unknown', 'filters']);
    groupViews.rulesSynced();
    groupViews.published();
    await settle();
    expect(groupViews.enabled).toBe(false);
    groupViews.rulesSynced();
    await settle();
    expect(groupViews.enabled).toBe(true);
    const before = groupViews.rulesViews().classes['sip:bob@x'];
    groupViews.keyChanged('their-key');
    expect(repo.viewKey()).toBe('their-key');
    expect(groupViews.enabled).toBe(false);
    expect(groupViews.rulesViews().classes['sip:bob@x']).not.toBe(before);
    expect(changes).toEqual([true, false]);
  });
});
