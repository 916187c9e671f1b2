/**
 * What Parley asks the user's attention for, from the core's events: message and watcher-request
 * notices (the rules are notices.ts), the unread total for the badge, and which notices to take
 * back once their conversation was read. Pure: the Electron shell shows what this decides as native
 * notifications and a sound request to its window (electron/main/app.ts), the browser host's page
 * as Web Notifications and a sound (renderer/src/notify/web-attention.ts).
 */
import type { Conversation, SequencedEvent, Snapshot } from '../ipc.js';
import { normalizeAddress } from '../domain/address.js';
import type { Availability } from '../domain/availability.js';
import { ownAvailability } from '../domain/profile-view.js';
import { createNoticeBook, isDoNotDisturb, watcherNotice, wantsMessageNotice, type AttentionState, type Notice } from './notices.js';
import { personName } from '../words/person-name.js';

export interface AttentionOptions {
  /** Show a notice; false when it reached the user neither as a notice nor as a sound (a page not allowed to notify, muted). */
  show(notice: Notice): boolean | void;
  /** Take back the notice with this key (its conversation was read). */
  withdraw(key: string): void;
  /** The total of unread messages changed. */
  onUnread(total: number): void;
  /** Whether any Parley window has the focus now. */
  isAnyWindowFocused(): boolean;
  /** The user's setting: busy means do not disturb (on unless turned off). */
  quietWhenBusy?: () => boolean;
}

export interface Attention {
  /** Start from the core's snapshot (names, unread counts, our status). */
  load(snapshot: Snapshot): void;
  onEvent(event: SequencedEvent): void;
  /** A window says which conversation it shows and whether it has the focus. */
  reportView(view: { conversationId: string | null; focused: boolean }): void;
  /** The name a notice gives this address. */
  nameOf(address: string): string;
  /** Our availability now (auto-away and do-not-disturb read it). */
  availability(): Availability;
}

export function createAttention(options: AttentionOptions): Attention {
  const book = createNoticeBook();
  const conversations = new Map<string, Conversation>();
  const contactNames = new Map<string, string | undefined>();
  let presence: Pick<Snapshot['presence'], 'status' | 'profiles' | 'schedule'> | null = null;
  let viewed: string | null = null;
  // Events the snapshot already covers are not news (a page subscribes before it asks for it).
  let loadedSeq = -1;
  // Watchers already announced while pending: a refreshed SUBSCRIBE is not a new request.
  const announced = new Set<string>();

  const availability = (): Availability =>
    presence ? ownAvailability(presence.status, presence.profiles, presence.schedule.defaultProfileId) : 'online';
  const nameOf = (address: string, peerName?: string) => personName(address, contactNames.get(normalizeAddress(address)), peerName);
  const setContacts = (contacts: Snapshot['presence']['contacts']) => {
    contactNames.clear();
    for (const contact of contacts) contactNames.set(normalizeAddress(contact.aor), contact.name);
  };
  const attentionState = (): AttentionState => ({
    focusedConversationId: options.isAnyWindowFocused() ? viewed : null,
    availability: availability(),
    quietWhenBusy: options.quietWhenBusy?.() ?? true,
  });
  const unreadTotal = () => [...conversations.values()].reduce((sum, c) => sum + c.unread, 0);
  const putConversation = (conversation: Conversation) => {
    conversations.set(conversation.id, conversation);
    if (conversation.unread === 0) {
      book.seen(conversation.id);
      options.withdraw(`conversation:${conversation.id}`);
    }
  };

  return {
    load(snapshot) {
      presence = snapshot.presence;
      loadedSeq = snapshot.seq;
      setContacts(snapshot.presence.contacts);
      conversations.clear();
      for (const conversation of snapshot.conversations) conversations.set(conversation.id, conversation);
      options.onUnread(unreadTotal());
    },
    onEvent(event) {
      if (event.seq <= loadedSeq) return;
      switch (event.type) {
        case 'conversation':
          putConversation(event.conversation);
          options.onUnread(unreadTotal());
          return;
        case 'roster':
          setContacts(event.contacts);
          if (presence) presence = { ...presence, profiles: event.profiles, schedule: event.schedule };
          return;
        case 'status':
          if (presence) presence = { ...presence, status: event.status };
          return;
        case 'message': {
          if (!wantsMessageNotice(event, attentionState())) return;
          options.show(book.message(event, nameOf(event.from, conversations.get(event.conversationId)?.peerName)));
          return;
        }
        case 'watcher': {
          const { aor, status } = event.watcher;
          if (status !== 'pending') {
            announced.delete(aor);
            options.withdraw(watcherNotice(aor, '').key);
            return;
          }
          if (announced.has(aor) || isDoNotDisturb(attentionState())) return;
          // Announced only once it reached the user: a request that came before notifications
          // were allowed (at login, from the server's watcher-info), with the sounds muted, is
          // shown at its next event.
          if (options.show(watcherNotice(aor, nameOf(aor))) !== false) announced.add(aor);
          return;
        }
      }
    },
    reportView({ conversationId, focused }) {
      if (focused) viewed = conversationId;
      else if (viewed === conversationId) viewed = null;
    },
    nameOf: (address) => nameOf(address),
    availability,
  };
}
