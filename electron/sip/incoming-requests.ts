/**
 * Incoming out-of-dialog requests as the layers above take them. The types are sip.js's own, so a
 * received MESSAGE reaches its owner without a copy (the receive path of every chat message).
 */
export type { Message as IncomingMessage } from 'sip.js';
