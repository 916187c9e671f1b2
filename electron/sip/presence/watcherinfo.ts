/**
 * Watcher information (RFC 3857 event package, RFC 3858 format): who watches our presence on the
 * presence server, decoded from application/watcherinfo+xml, and the state a subscriber keeps
 * across full and partial NOTIFYs.
 *
 * Versions (RFC 3858 §4.4): every document in a subscription carries a version one higher than
 * the previous one. A full document replaces the state whatever its version (servers restart the
 * count on a new subscription). A partial document applies only on top of the version right
 * before it: an older or equal version is a duplicate and is ignored; a higher one means
 * something was lost, and the caller must re-SUBSCRIBE to be sent the full state.
 */
import { WATCHERINFO_NS } from './namespaces.js';
import { XML_NAMESPACE, XmlError, attribute, childElements, readXml, type XmlLimits } from './xml-reader.js';

export const WINFO_WATCHER_STATUSES = ['pending', 'active', 'waiting', 'terminated'] as const;
export type WinfoWatcherStatus = (typeof WINFO_WATCHER_STATUSES)[number];

/** What last happened to the subscription (RFC 3858 §4.3). */
export const WINFO_WATCHER_EVENTS = [
  'subscribe',
  'approved',
  'deactivated',
  'probation',
  'rejected',
  'timeout',
  'giveup',
  'noresource',
] as const;
export type WinfoWatcherEvent = (typeof WINFO_WATCHER_EVENTS)[number];

export interface WinfoWatcher {
  /** The subscription's id (unique within its list); partial updates refer to it. */
  id: string;
  /** The watcher's URI (the element's text). */
  uri: string;
  status: WinfoWatcherStatus;
  event?: WinfoWatcherEvent;
  displayName?: string;
  lang?: string;
  /** Seconds until the subscription expires. */
  expiration?: number;
  /** Seconds the watcher has been subscribed. */
  durationSubscribed?: number;
}

export interface WinfoList {
  /** The watched resource, e.g. our AOR. */
  resource: string;
  /** The event package, e.g. 'presence'. */
  package: string;
  watchers: WinfoWatcher[];
}

export interface WatcherInfoDocument {
  version: number;
  state: 'full' | 'partial';
  lists: WinfoList[];
}

const MAX_VERSION = 0xffffffff;

/** Decodes one application/watcherinfo+xml body. Throws XmlError (only). */
export function decodeWatcherInfo(xml: string, limits?: Partial<XmlLimits>): WatcherInfoDocument {
  const root = readXml(xml, limits);
  if (root.ns !== WATCHERINFO_NS || root.name !== 'watcherinfo') {
    throw new XmlError('unexpected-document', 'not a watcher-info document: the root is not <watcherinfo>');
  }
  const version = parseCount(attribute(root, 'version'));
  if (version === undefined) throw new XmlError('unexpected-document', 'watcher-info document without a valid version');
  // Lenient: a missing or unknown state is read as full, which replaces rather than merges.
  const state = attribute(root, 'state')?.trim() === 'partial' ? 'partial' : 'full';
  const lists: WinfoList[] = [];
  for (const listEl of childElements(root, WATCHERINFO_NS, 'watcher-list')) {
    const list: WinfoList = {
      resource: attribute(listEl, 'resource')?.trim() ?? '',
      package: attribute(listEl, 'package')?.trim() ?? '',
      watchers: [],
    };
    for (const w of childElements(listEl, WATCHERINFO_NS, 'watcher')) {
      const status = attribute(w, 'status')?.trim() as WinfoWatcherStatus | undefined;
      const uri = w.text.trim();
      // A watcher without a usable status or URI tells us nothing we could show or act on.
      if (!status || !WINFO_WATCHER_STATUSES.includes(status) || !uri) continue;
      const watcher: WinfoWatcher = { id: attribute(w, 'id')?.trim() || uri, uri, status };
      const event = attribute(w, 'event')?.trim() as WinfoWatcherEvent | undefined;
      if (event && WINFO_WATCHER_EVENTS.includes(event)) watcher.event = event;
      const displayName = attribute(w, 'display-name')?.trim();
      if (displayName) watcher.displayName = displayName;
      const lang = attribute(w, 'lang', XML_NAMESPACE);
      if (lang) watcher.lang = lang;
      const expiration = parseCount(attribute(w, 'expiration'));
      if (expiration !== undefined) watcher.expiration = expiration;
      const duration = parseCount(attribute(w, 'duration-subscribed'));
      if (duration !== undefined) watcher.durationSubscribed = duration;
      list.watchers.push(watcher);
    }
    lists.push(list);
  }
  return { version, state, lists };
}

/** A count or version attribute: a whole number of at most 32 bits, or undefined (also used for RLMI). */
export function parseCount(v: string | undefined): number | undefined {
  const t = v?.trim();
  if (!t || !/^\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n <= MAX_VERSION ? n : undefined;
}

/** What a subscriber knows: the version last applied and the live watchers (terminated ones are dropped). */
export interface WatcherInfoState {
  version: number;
  lists: WinfoList[];
}

export type WinfoApplyResult =
  /** `changed`: the watchers the document mentioned (for a full document: all of them), terminated ones included. */
  | { kind: 'applied'; state: WatcherInfoState; changed: WinfoWatcher[] }
  /** A version at or below the one we have: a duplicate or reordered NOTIFY, ignored. */
  | { kind: 'stale'; state: WatcherInfoState }
  /**
   * A partial document we cannot apply: versions were skipped (or we have no full state yet).
   * The state is unchanged; re-SUBSCRIBE to get a full document.
   */
  | { kind: 'gap'; state: WatcherInfoState | undefined; expected: number | undefined; got: number };

/** Applies a decoded document to the previous state (undefined before the first full document). Pure. */
export function applyWatcherInfo(previous: WatcherInfoState | undefined, doc: WatcherInfoDocument): WinfoApplyResult {
  const changed = doc.lists.flatMap((l) => l.watchers);
  if (doc.state === 'full') {
    const lists = doc.lists.map((l) => ({ ...l, watchers: l.watchers.filter((w) => w.status !== 'terminated') }));
    return { kind: 'applied', state: { version: doc.version, lists }, changed };
  }
  if (!previous) return { kind: 'gap', state: undefined, expected: undefined, got: doc.version };
  if (doc.version <= previous.version) return { kind: 'stale', state: previous };
  if (doc.version !== previous.version + 1) return { kind: 'gap', state: previous, expected: previous.version + 1, got: doc.version };

  const lists = previous.lists.map((l) => ({ ...l, watchers: [...l.watchers] }));
  for (const update of doc.lists) {
    let list = lists.find((l) => l.resource === update.resource && l.package === update.package);
    if (!list) {
      list = { resource: update.resource, package: update.package, watchers: [] };
      lists.push(list);
    }
    for (const w of update.watchers) {
      const at = list.watchers.findIndex((x) => x.id === w.id);
      if (w.status === 'terminated') {
        if (at >= 0) list.watchers.splice(at, 1);
      } else if (at >= 0) {
        list.watchers[at] = w;
      } else {
        list.watchers.push(w);
      }
    }
  }
  return { kind: 'applied', state: { version: doc.version, lists }, changed };
}

/** Watchers waiting for the user's decision (pending, or waiting: they asked while it was refused). */
export function awaitingDecision(state: WatcherInfoState, pkg = 'presence'): WinfoWatcher[] {
  return state.lists
    .filter((l) => l.package === pkg)
    .flatMap((l) => l.watchers.filter((w) => w.status === 'pending' || w.status === 'waiting'));
}
