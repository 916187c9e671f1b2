/**
 * What passes between the renderer and a desktop shell besides the core's commands: the commands
 * only a host with windows and dialogs answers (the core's default answer says "not here", and the
 * UI falls back), and the requests the shell makes of a window (a notification was clicked, a
 * sip: link was opened, a menu item was chosen). Plain data, validated on both sides.
 */
import { z } from 'zod';

const ConversationId = z.string().min(1).max(128);

/** The desktop shell's own preferences (electron/main/desktop-settings.ts keeps them in the data folder). */
export const DesktopSettings = z.object({
  /** Closing the main window hides it in the tray instead of quitting (on by default where a tray exists). */
  closeToTray: z.boolean(),
  /** Minutes without keyboard or mouse before the status becomes Away; 0 turns auto-away off. */
  autoAwayMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  /** Start Parley when the user logs in (app.setLoginItemSettings). */
  startAtLogin: z.boolean(),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export const shellCommands = {
  /**
   * Save a conversation as a file where the user picks it (a save dialog). A host without dialogs
   * answers `handled: false` and the UI offers the export as a download instead.
   */
  saveConversationAs: {
    request: z.object({ conversationId: ConversationId, format: z.enum(['text', 'json']) }).strict(),
    result: z.object({ handled: z.boolean(), saved: z.boolean() }),
  },
  /**
   * The renderer says which conversation it shows and whether its window has the focus, so the
   * shell stays quiet about the conversation the user is reading.
   */
  reportView: {
    request: z.object({ conversationId: ConversationId.nullable(), focused: z.boolean() }).strict(),
    result: z.object({ noted: z.boolean() }),
  },
  /** The desktop settings; null where there is no desktop shell (the browser host hides them). */
  getDesktopSettings: { request: z.object({}).strict(), result: DesktopSettings.nullable() },
  setDesktopSettings: { request: DesktopSettings.partial().strict(), result: DesktopSettings.nullable() },
  /**
   * Show a received file in the system's file manager. By the transfer's id, never a path: the
   * shell reveals only what the core saved. A host without a file manager answers `handled: false`.
   */
  showFileInFolder: { request: z.object({ id: z.string().min(1).max(64) }).strict(), result: z.object({ handled: z.boolean() }) },
} as const;

export type ShellCommandName = keyof typeof shellCommands;

/** A request from the shell to a window. */
export const ShellRequest = z.discriminatedUnion('action', [
  /** Show this conversation (a notification was clicked). */
  z.object({ action: z.literal('open-conversation'), conversationId: ConversationId }),
  /** Open a chat with this address (a sip:, sips: or im: link). */
  z.object({ action: z.literal('open-chat'), address: z.string().min(1).max(512) }),
  /**
   * Play the sound of a notice the shell just showed (the window plays it unless sounds are muted;
   * the native notification itself is silent).
   */
  z.object({ action: z.literal('play-sound'), sound: z.enum(['message', 'request']) }),
  /** An application-menu item (the window's own shortcuts: renderer/src/store/shortcuts.ts). */
  z.object({ action: z.enum(['newChat', 'search', 'nextUnread', 'setStatus', 'preferences']) }),
]);
export type ShellRequest = z.infer<typeof ShellRequest>;
