/**
 * What Parley publishes in server mode: one document for everyone the server lets watch us, so
 * it is what "everyone else" (EVERYONE_ELSE) sees under the status in force — a manual status
 * while it lasts, else the active profile's EVERYONE_ELSE view. Per-group views cannot travel
 * through a presence server that serves one document to all (see SERVER_MODE_EXPLANATION).
 */
import type { PresenceView } from '../../../../shared/domain/presence.js';
import { audienceOf, type AudienceViews } from '../policy/index.js';

/** `views`: the status engine's views in force (status/presence-status.ts `views`). */
export function publishedView(views: AudienceViews): PresenceView {
  return audienceOf(views, []).view;
}
