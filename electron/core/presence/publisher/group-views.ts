/**
 * Per-group views through the presence server, for an account whose pres-rules Parley keeps on
 * the server (an XCAP root): docs/DESIGN.md#views-per-group-through-the-server.
 *
 * What it decides: the view classes the pres-rules name (rulesViews) and what the publisher
 * publishes (publication). Per-group views are on only while the server was last found to filter
 * by class (class-filter-check.ts): checked once our rules (with the self rule) and our
 * publication are both on the server, again after every write of the rules and after every
 * reconnection. Until then, and whenever a check says anything but yes, the one view "everyone
 * else" sees is published under the shared class every allowed watcher is provided, so a server
 * that does not filter never sees more than that.
 */
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { PresRulesViews } from '../../../sip/xcap/pres-rules.js';
import type { UserAgent } from '../../../sip/user-agent.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import type { Logger } from '../../../support/logger.js';
import type { AudienceViews } from '../policy/index.js';
import { classViews, contactClasses, newViewKey, sharedClass, viewClass } from '../view-classes.js';
import { checkClassFilter, type FilterVerdict } from './class-filter-check.js';
import { publishedView, type Publication } from './published-view.js';

export interface GroupViewsDeps {
  repo: PresenceRepo;
  aor: string;
  logger: Logger;
  /** The status engine's views in force. */
  views(): AudienceViews;
  /** Whether per-group views are on changed: publish anew, and say so. */
  changed(on: boolean): void;
  /** One check (tests may stand in their own). */
  check?(ua: UserAgent, aor: string): Promise<FilterVerdict>;
}

export class GroupViews {
  private key: string;
  private on = false;
  private ua: UserAgent | undefined;
  private rulesThere = false;
  private publicationThere = false;
  private due = true;
  private checking = false;
  private stopped = false;

  constructor(private readonly deps: GroupViewsDeps) {
    const saved = deps.repo.viewKey();
    this.key = saved ?? newViewKey();
    if (!saved) deps.repo.setViewKey(this.key);
  }

  get enabled(): boolean {
    return this.on;
  }

  /** The views the pres-rules document carries: each allowed watcher's class. */
  rulesViews(): PresRulesViews {
    const { repo } = this.deps;
    const classes: Record<string, string> = {};
    const everyoneElse = viewClass(this.key, []);
    // allowed watchers who are not contacts see what everyone else sees
    for (const watcher of repo.watchers()) if (watcher.status === 'allowed') classes[normalizeAddress(watcher.aor)] = everyoneElse;
    Object.assign(classes, contactClasses(this.key, repo.contacts(), repo.groups()));
    return { key: this.key, self: normalizeAddress(this.deps.aor), shared: sharedClass(this.key), classes };
  }

  publication(): Publication {
    const views = this.deps.views();
    if (!this.on) return { kind: 'classed', classes: [{ cls: sharedClass(this.key), view: publishedView(views) }] };
    return { kind: 'classed', classes: classViews(this.key, views, this.deps.repo.contacts(), this.deps.repo.groups()) };
  }

  /** The server holds another key (another device made it first): classes change, check again. */
  keyChanged(key: string): void {
    this.key = key;
    this.deps.repo.setViewKey(key);
    this.rulesThere = false;
    this.set(false);
  }

  /** The publisher works on this endpoint's user agent now. */
  attach(ua: UserAgent): void {
    this.ua = ua;
    this.reconnected();
  }

  /** A write of the rules reached the server. */
  rulesSynced(): void {
    this.rulesThere = true;
    this.due = true;
    this.maybeCheck();
  }

  /** The server holds our publication. */
  published(): void {
    this.publicationThere = true;
    this.maybeCheck();
  }

  /** The flow or the server was reset: check again once the publication is refreshed. */
  reconnected(): void {
    this.publicationThere = false;
    this.due = true;
  }

  /** Our publication was removed (back to direct presence). */
  withdrawn(): void {
    this.publicationThere = false;
    this.set(false);
  }

  stop(): void {
    this.stopped = true;
  }

  private maybeCheck(): void {
    const ua = this.ua;
    if (!ua || this.stopped || this.checking || !this.due || !this.rulesThere || !this.publicationThere) return;
    this.due = false;
    this.checking = true;
    void (this.deps.check ?? checkClassFilter)(ua, this.deps.aor).then((verdict) => {
      this.checking = false;
      if (this.stopped) return;
      this.deps.logger.info('does the presence server filter by class?', { verdict });
      this.set(verdict === 'filters');
      // a write or a reconnection during the check: once more
      this.maybeCheck();
    });
  }

  private set(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    this.deps.changed(on);
  }
}
