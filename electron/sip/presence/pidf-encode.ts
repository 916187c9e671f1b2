/**
 * Writes Parley's own presence: a PresenceView -> one PIDF document with an RPID person.
 *
 * Shape, chosen for the peers we meet:
 *   - PIDF elements in the default namespace and RPID under the `rpid:` prefix, written as
 *     `<basic>open</basic>` and `<rpid:busy/>`: baresip recognises presence by exactly these
 *     strings, and liblinphone reads the first activity of the person, so the availability's own
 *     activity (busy / away) comes first.
 *   - One tuple whose id is derived from the entity, so every NOTIFY and PUBLISH for one AOR
 *     describes the same service (a random id per document makes watchers and Kamailio's
 *     aggregation see a new device each time).
 *   - The note goes both into the person (RFC 4479) and into the tuple (what older clients read).
 *
 * Offline is special: it says closed and nothing else — no contact (it would reveal our address),
 * no activities, no note, no timestamp. So a politely blocked watcher, a pending watcher, "appear
 * offline" and a client that is really gone all produce the same bytes for the same entity.
 */
import type { PresenceView } from '../../../shared/domain/presence.js';
import { DATA_MODEL_NS, PIDF_NS, RPID_NS } from './namespaces.js';
import { escapeAttribute, escapeText } from './xml-escape.js';

export interface EncodeOptions {
  /** Our contact URI for the tuple (omitted when offline). */
  contact?: string;
  /** Contact priority 0..1. */
  priority?: number;
  /** When the state was set (epoch ms or Date); written as the tuple's timestamp (omitted when offline). */
  timestamp?: number | Date;
  /** xml:lang of the note. */
  lang?: string;
  /** Overrides the entity-derived tuple id. */
  tupleId?: string;
}

/** RFC 4480 activity names are XML names; anything else travels as the text of <rpid:other>. */
const ACTIVITY_NAME = /^[A-Za-z_][A-Za-z0-9._-]{0,63}$/;

/** A view -> an application/pidf+xml body for `entity` (our AOR). */
export function encodePidf(entity: string, view: PresenceView, options: EncodeOptions = {}): string {
  const tupleId = options.tupleId ?? stableId('t', entity);
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<presence xmlns="${PIDF_NS}" xmlns:dm="${DATA_MODEL_NS}" xmlns:rpid="${RPID_NS}" entity="${escapeAttribute(entity)}">\n`;
  if (view.availability === 'offline') {
    return `${head} <tuple id="${escapeAttribute(tupleId)}">\n  <status><basic>closed</basic></status>\n </tuple>\n</presence>\n`;
  }

  const lang = options.lang ? ` xml:lang="${escapeAttribute(options.lang)}"` : '';
  const note = view.note?.trim() ? escapeText(view.note) : undefined;
  let out = `${head} <tuple id="${escapeAttribute(tupleId)}">\n  <status><basic>open</basic></status>\n`;
  if (options.contact) {
    const priority = options.priority === undefined ? '' : ` priority="${formatPriority(options.priority)}"`;
    out += `  <contact${priority}>${escapeText(options.contact)}</contact>\n`;
  }
  if (note !== undefined) out += `  <note${lang}>${note}</note>\n`;
  if (options.timestamp !== undefined) {
    const when = new Date(options.timestamp);
    if (Number.isFinite(when.getTime())) out += `  <timestamp>${when.toISOString()}</timestamp>\n`;
  }
  out += ' </tuple>\n';

  const activities = orderedActivities(view);
  if (activities.length > 0 || note !== undefined) {
    out += ` <dm:person id="${escapeAttribute(stableId('p', entity))}">\n`;
    if (activities.length > 0) {
      out += '  <rpid:activities>';
      for (const a of activities) out += ACTIVITY_NAME.test(a) ? `<rpid:${a}/>` : `<rpid:other>${escapeText(a)}</rpid:other>`;
      out += '</rpid:activities>\n';
    }
    if (note !== undefined) out += `  <dm:note${lang}>${note}</dm:note>\n`;
    out += ' </dm:person>\n';
  }
  return `${out}</presence>\n`;
}

/** The availability's own activity first (busy, away), then the view's, without repeats. */
function orderedActivities(view: PresenceView): string[] {
  const out: string[] = [];
  if (view.availability === 'busy' || view.availability === 'away') out.push(view.availability);
  for (const a of view.activities ?? []) if (a && !out.includes(a)) out.push(a);
  return out;
}

function formatPriority(p: number): string {
  const clamped = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
  return String(Math.round(clamped * 1000) / 1000);
}

/**
 * The tuple id of one device of `entity` (`device`: its stable Contact user part, derived from its
 * instance id in sip/user-agent.ts): two devices of one account never send the same tuple id, so
 * a watcher (or the presence server composing their PUBLISHes) sees a tuple per device, and one
 * device keeps its id across documents and restarts (issue 13, docs/DESIGN.md#several-devices).
 */
export function deviceTupleId(entity: string, device: string): string {
  return stableId('t', `${entity}\n${device}`);
}

/**
 * A short XML id that is the same for the same entity on every run (FNV-1a of the entity):
 * stable across NOTIFYs and restarts, and reveals nothing beyond the entity already in the document.
 */
export function stableId(prefix: string, entity: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < entity.length; i++) {
    h ^= entity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${prefix}${(h >>> 0).toString(36)}`;
}
