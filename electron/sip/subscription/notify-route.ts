/**
 * The routing shim that brings every NOTIFY of one of our SUBSCRIBEs to us. sip.js's user agent
 * core routes a NOTIFY that matches no dialog by Call-ID + our From tag + event to the entry of that
 * key in `userAgentCore.subscribers` (the key sip.js itself uses for its own subscriptions). We put
 * our own entry there instead of sip.js's SubscribeUserAgentClient, which would make one dialog per
 * SUBSCRIBE and answer 481 to the NOTIFYs of every other fork (RFC 6665 §4.1.4). With the entry,
 * every NOTIFY of the SUBSCRIBE reaches `onNotify`, whatever its From tag (one dialog per tag,
 * subscriber-dialogs.ts).
 */
import type { SubscribeUserAgentClient, UserAgentCore } from 'sip.js/lib/core/index.js';
import type { IncomingNotifyRequest } from 'sip.js/lib/core/messages/methods/notify.js';

export type { IncomingNotifyRequest };

export class NotifyRoute {
  private key: string | undefined;
  /** The object sip.js's core calls: it only ever calls onNotify and dispose. */
  private readonly entry: { onNotify(uas: IncomingNotifyRequest): void; dispose(): void };

  constructor(
    private readonly core: UserAgentCore,
    onNotify: (uas: IncomingNotifyRequest) => void,
  ) {
    this.entry = { onNotify, dispose: () => {} };
  }

  /** Take the NOTIFYs of the SUBSCRIBE with this Call-ID and From tag, for this event package. */
  route(callId: string, fromTag: string, event: string): void {
    this.key = callId + fromTag + event;
    // sip.js types this table as its own UAC class; the core only calls onNotify and dispose.
    this.core.subscribers.set(this.key, this.entry as unknown as SubscribeUserAgentClient);
  }

  /** Stop taking them (sip.js's core then answers them 481 itself). */
  unroute(): void {
    const subscribers = this.core.subscribers;
    if (this.key && (subscribers.get(this.key) as unknown) === this.entry) subscribers.delete(this.key);
    this.key = undefined;
  }
}
