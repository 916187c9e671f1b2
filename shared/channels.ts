/**
 * The zod-free part of the IPC contract: command names and Electron channel names.
 * The sandboxed preload bundles this file and nothing heavier, so it must stay plain data:
 * no zod, no DOM, no Node, no Electron. shared/ipc.ts re-exports it and checks at compile time
 * that COMMAND_NAMES lists exactly the keys of its `commands` table.
 */

/** Every command of the contract, in the order of shared/ipc.ts `commands`. */
export const COMMAND_NAMES = [
  'getSnapshot',
  'setAccount',
  'removeAccount',
  'register',
  'unregister',
  // chat (shared/contract/chat.ts)
  'sendMessage',
  'openConversation',
  'retryMessage',
  'openConversationWindow',
  'cancelMessage',
  'markRead',
  'setComposing',
  'getChatSettings',
  'setChatSettings',
  'getPeerOptions',
  'setPeerOptions',
  'getMessages',
  'searchMessages',
  'exportConversation',
  'clearHistory',
  'saveDraft',
  // files (shared/contract/files.ts)
  'startFileUpload',
  'writeFileUpload',
  'cancelFileUpload',
  'sendFile',
  'answerFileOffer',
  'cancelFile',
  'resumeFile',
  'readFilePreview',
  'listFileTransfers',
  'getFileSettings',
  'setFileSettings',
  // presence (shared/contract/presence.ts)
  'setStatus',
  'clearStatus',
  'saveContact',
  'removeContact',
  'saveGroup',
  'deleteGroup',
  'saveProfile',
  'deleteProfile',
  'setSchedule',
  'answerWatcher',
  'whatDoesWatcherSee',
  'whatDoesGroupSee',
  // shell (shared/contract/shell.ts)
  'saveConversationAs',
  'reportView',
  'getDesktopSettings',
  'setDesktopSettings',
  'showFileInFolder',
  // devices (shared/contract/devices.ts)
  'setDeviceName',
] as const;

export type CommandNameList = (typeof COMMAND_NAMES)[number];

/** Names of the Electron IPC channels (one invoke channel, one event channel, one for the shell's requests). */
export const IPC_INVOKE_CHANNEL = 'parley:invoke';
export const IPC_EVENT_CHANNEL = 'parley:event';
export const IPC_SHELL_CHANNEL = 'parley:shell';
