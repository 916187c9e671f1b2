/**
 * Parley's profiles and weekly schedule as an XCAP document of its own
 * (docs/DESIGN.md#profiles-and-schedule-on-the-server), so another device of the account starts
 * with them. No standard document holds per-group views on a schedule, so this one is Parley's:
 *
 *   <parley-presence-settings xmlns="urn:parley:params:xml:ns:presence-settings" version="1">
 *     <profiles>[{"id":"work","name":"Work","views":{…}}, …]</profiles>
 *     <schedule>{"timeZone":"Europe/Berlin","rules":[…],"defaultProfileId":"default"}</schedule>
 *   </parley-presence-settings>
 *
 * Each element's text is the JSON of the shared domain types (shared/domain/presence.ts Profile,
 * Schedule), checked with their schemas on reading: the same shapes the IPC contract carries, so
 * the document never drifts from what Parley stores. Content type
 * application/vnd.parley.presence-settings+xml.
 *
 * Where it lives: XCAP servers file documents by AUID, and the bundled Kamailio's xcap_server 5.6
 * knows only a fixed list of them (a PUT under an AUID of our own is refused, server/README.md),
 * so the document is stored as `parley-presence-settings.xml` in the user's directory of the OMA
 * user-profile AUID, which holds any well-formed document and which no presence module reads.
 *
 * Reading goes through the safe XML reader; a document that is not this one, or whose JSON does
 * not pass the schemas, throws XmlError (the caller keeps what the device has).
 */
import { z } from 'zod';
import { Profile, Schedule } from '../../../shared/domain/presence.js';
import { escapeText } from '../presence/xml-escape.js';
import { XmlError, firstChild, readXml } from '../presence/xml-reader.js';
import { RESOURCE_LISTS_LIMITS } from './resource-lists.js';

export const PRESENCE_SETTINGS_NS = 'urn:parley:params:xml:ns:presence-settings';
export const PRESENCE_SETTINGS_CONTENT_TYPE = 'application/vnd.parley.presence-settings+xml';
export const PRESENCE_SETTINGS_AUID = 'org.openmobilealliance.user-profile';
export const PRESENCE_SETTINGS_FILE = 'parley-presence-settings.xml';

export interface PresenceSettings {
  profiles: Profile[];
  schedule: Schedule;
}

const Profiles = z.array(Profile).max(64);

export function encodePresenceSettings(settings: PresenceSettings): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<parley-presence-settings xmlns="${PRESENCE_SETTINGS_NS}" version="1">`,
    `<profiles>${escapeText(JSON.stringify(settings.profiles))}</profiles>`,
    `<schedule>${escapeText(JSON.stringify(settings.schedule))}</schedule>`,
    '</parley-presence-settings>',
    '',
  ].join('\n');
}

export function decodePresenceSettings(xml: string): PresenceSettings {
  const root = readXml(xml, RESOURCE_LISTS_LIMITS);
  if (root.ns !== PRESENCE_SETTINGS_NS || root.name !== 'parley-presence-settings') {
    throw new XmlError('unexpected-document', 'not a Parley presence settings document');
  }
  const profiles = Profiles.safeParse(json(firstChild(root, PRESENCE_SETTINGS_NS, 'profiles')?.text));
  const schedule = Schedule.safeParse(json(firstChild(root, PRESENCE_SETTINGS_NS, 'schedule')?.text));
  if (!profiles.success || !schedule.success) {
    throw new XmlError('unexpected-document', 'the presence settings document holds profiles or a schedule Parley cannot use');
  }
  return { profiles: profiles.data, schedule: schedule.data };
}

function json(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
