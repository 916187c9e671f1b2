/** Namespace URIs and content types of the presence formats Parley reads and writes. */

/** RFC 3863: presence, tuple, status, basic, contact, note, timestamp. */
export const PIDF_NS = 'urn:ietf:params:xml:ns:pidf';
/** RFC 4479: person, device, deviceID (and its own note and timestamp). */
export const DATA_MODEL_NS = 'urn:ietf:params:xml:ns:pidf:data-model';
/** RFC 4480: activities, mood, user-input, ... */
export const RPID_NS = 'urn:ietf:params:xml:ns:pidf:rpid';
/** RFC 3858: watcherinfo, watcher-list, watcher. */
export const WATCHERINFO_NS = 'urn:ietf:params:xml:ns:watcherinfo';
/** RFC 4662: list, resource, instance (resource list meta-information). */
export const RLMI_NS = 'urn:ietf:params:xml:ns:rlmi';

export const PIDF_CONTENT_TYPE = 'application/pidf+xml';
export const WATCHERINFO_CONTENT_TYPE = 'application/watcherinfo+xml';
