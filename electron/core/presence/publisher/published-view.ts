/**
 * What Parley publishes in server mode, and its body.
 *
 *  - plain: one document for everyone the server lets watch us, so what "everyone else"
 *    (EVERYONE_ELSE) sees under the status in force (a manual status while it lasts, else the
 *    active profile's EVERYONE_ELSE view). Without pres-rules of ours on the server (no XCAP root).
 *  - classed: tuples only, one per view class (docs/DESIGN.md#views-per-group-through-the-server).
 *    With our pres-rules on the server, before it is known to filter by class, the one view is
 *    published as the shared class every allowed watcher is provided; once it is known to filter,
 *    one tuple per audience (core/presence/view-classes.ts).
 */
import type { PresenceView } from '../../../../shared/domain/presence.js';
import { deviceTupleId, encodeClassedPidf, encodePidf } from '../../../sip/presence/index.js';
import { audienceOf, sameView, type AudienceViews } from '../policy/index.js';
import type { ClassView } from '../view-classes.js';

export type Publication = { kind: 'plain'; view: PresenceView } | { kind: 'classed'; classes: readonly ClassView[] };

/** `views`: the status engine's views in force (status/presence-status.ts `views`). */
export function publishedView(views: AudienceViews): PresenceView {
  return audienceOf(views, []).view;
}

export function samePublication(a: Publication, b: Publication): boolean {
  if (a.kind === 'plain') return b.kind === 'plain' && sameView(a.view, b.view);
  if (b.kind === 'plain') return false;
  return (
    a.classes.length === b.classes.length && a.classes.every((c, i) => c.cls === b.classes[i]!.cls && sameView(c.view, b.classes[i]!.view))
  );
}

export interface BodyOptions {
  /** The contact written in open tuples (our address of record). */
  contact: string;
  timestamp: number;
  /** This device's stable Contact user part: its tuples' ids differ from the other devices'. */
  device: string;
}

/** The PIDF body of a publication of `aor`. */
export function publicationBody(aor: string, publication: Publication, options: BodyOptions): string {
  if (publication.kind === 'plain') {
    // one tuple per device: the server composes our devices' publications side by side
    return encodePidf(aor, publication.view, {
      contact: options.contact,
      timestamp: options.timestamp,
      tupleId: deviceTupleId(aor, options.device),
    });
  }
  const tuples = publication.classes.map(({ cls, view }) => ({ cls, view, id: deviceTupleId(aor, `${options.device}\n${cls}`) }));
  return encodeClassedPidf(aor, tuples, { contact: options.contact, timestamp: options.timestamp });
}
