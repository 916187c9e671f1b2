/** Presence documents: the public surface the notifier, subscriber and publisher build on. */
export { XmlError, DEFAULT_XML_LIMITS, type XmlErrorCode, type XmlLimits } from './xml-reader.js';
export {
  decodePidf,
  type PidfDocument,
  type PidfTuple,
  type PidfPerson,
  type PidfDevice,
  type PidfNote,
  type BasicStatus,
  type UserInput,
} from './pidf.js';
export { composePresence, BUSY_ACTIVITIES, AWAY_ACTIVITIES, type ComposeOptions } from './compose.js';
export { deviceTupleId, encodePidf, stableId, type EncodeOptions } from './pidf-encode.js';
export {
  decodeWatcherInfo,
  applyWatcherInfo,
  awaitingDecision,
  WINFO_WATCHER_STATUSES,
  WINFO_WATCHER_EVENTS,
  type WatcherInfoDocument,
  type WatcherInfoState,
  type WinfoApplyResult,
  type WinfoList,
  type WinfoWatcher,
  type WinfoWatcherEvent,
  type WinfoWatcherStatus,
} from './watcherinfo.js';
export { PIDF_NS, DATA_MODEL_NS, RPID_NS, WATCHERINFO_NS, RLMI_NS, PIDF_CONTENT_TYPE, WATCHERINFO_CONTENT_TYPE } from './namespaces.js';
export {
  decodeRlmi,
  applyRlmi,
  RLMI_CONTENT_TYPE,
  type RlmiDocument,
  type RlmiState,
  type RlmiResource,
  type RlmiInstance,
  type RlmiApplyResult,
} from './rlmi.js';
export { parseMultipart, MultipartError, type MultipartBody, type BodyPart } from './multipart.js';
export { decodeRegInfo, deviceNameParam, REGINFO_CONTENT_TYPE, type RegContact, type RegInfoDocument } from './reginfo.js';
