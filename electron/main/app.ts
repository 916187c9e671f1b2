/**
 * The Electron shell's lifecycle. One instance per user; the core is created after `ready`
 * (safeStorage needs it), bridged to the windows over IPC, stopped before the app quits.
 *
 *   (before ready) register app:// · enable sandbox · single-instance lock
 *   ready ──> protocol + session rules ──> core (created and started) ──> IPC bridge ──> window
 *        ──> tray, notifications, power and network hooks
 *   before-quit ──> hold ──> core.stop() (bounded) ──> quit
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, net, powerMonitor, safeStorage, session, shell } from 'electron';
import { AccountConfig, type SequencedEvent } from '../../shared/ipc.js';
import { conversationHash } from '../../shared/contract/routes.js';
import { UserError, type Core } from '../core/core.js';
import type { Logger } from '../support/logger.js';
import { createParley, type ParleyOptions } from '../hosts/compose.js';
import { dataDir } from '../hosts/data-dir.js';
import { openHostLog } from '../hosts/host-log.js';
import { broadcastTo, bridgeIpc, createSenderCheck } from '../hosts/electron/bridge.js';
import { callHook, createNetworkWatcher, networkFingerprint, powerHooksOf } from '../hosts/electron/power.js';
import { createQuitGuard } from '../hosts/electron/quit.js';
import { createSafeStorageSecretBox } from '../hosts/electron/secret-box.js';
import { APP_ENTRY_URL } from '../hosts/electron/security.js';
import { withHostCommands } from '../hosts/host-commands.js';
import { showFileInFolder } from '../hosts/electron/show-in-folder.js';
import { statusLine } from '../hosts/electron/status.js';
import { createAttention } from '../../shared/notify/attention.js';
import { createAutoAway } from '../hosts/electron/auto-away.js';
import { openWindowPlaces, type WindowPlaces } from '../hosts/electron/window-places.js';
import { applyDesktopChange, openDesktopSettings, type DesktopSettingsStore } from '../hosts/electron/desktop-settings.js';
import { LINK_SCHEMES, linkAddress, linkInArgv } from '../hosts/electron/links.js';
import type { ShellRequest } from '../../shared/contract/shell.js';
import { DEFAULT_CHAT_SETTINGS } from '../../shared/contract/chat.js';
import type { Availability } from '../../shared/domain/availability.js';
import { buildAppMenu } from './app-menu.js';
import { showUnread } from './badge.js';
import { saveConversationAs } from './export-dialog.js';
import { createNotifier } from './notifications.js';
import { windowRequests, type WindowRequests } from './window-requests.js';
import { registerAppScheme, serveApp } from './protocol.js';
import { hardenSession } from './session.js';
import { createStatusTray, type StatusTray } from './tray.js';
import { createWindow, hardenWebContents, isOurWebContents } from './window.js';
import { placeFor, trackPlace } from './window-place.js';

/** Auto-away reads the system idle time this often (ms). */
const IDLE_POLL_MS = 15_000;

/** Where the bundle's siblings are, given the folder of main.cjs (dist/electron). */
export interface AppPaths {
  preload: string;
  rendererDir: string;
  icon: string;
  /** The tray's pictures per presence state (assets/tray/, copied by electron/build.ts). */
  trayDir: string;
}

export function appPaths(bundleDir: string): AppPaths {
  return {
    preload: path.join(bundleDir, 'preload.cjs'),
    rendererDir: path.join(bundleDir, '..', 'renderer'),
    icon: path.join(bundleDir, 'icon.png'),
    trayDir: path.join(bundleDir, 'tray'),
  };
}

/**
 * What the launcher may pass down (see electron/hosts/launch.ts): a data folder, an account that
 * overrides the stored one, and the password through an inherited pipe rather than the environment.
 */
export function launcherOptions(env: NodeJS.ProcessEnv, logger: Logger): Partial<ParleyOptions> {
  const options: Partial<ParleyOptions> = {};
  if (env.PARLEY_ACCOUNT) {
    let raw: unknown = null;
    try {
      raw = JSON.parse(env.PARLEY_ACCOUNT);
    } catch {
      raw = null;
    }
    const parsed = AccountConfig.safeParse(raw);
    if (parsed.success) options.account = parsed.data;
    else logger.warn('ignoring PARLEY_ACCOUNT: not a valid account');
  }
  if (env.PARLEY_LISTEN) options.listen = env.PARLEY_LISTEN;
  const fd = Number(env.PARLEY_PASSWORD_FD);
  if (Number.isInteger(fd) && fd > 2) {
    try {
      options.password = readFileSync(fd, 'utf8');
    } catch (error) {
      logger.warn('could not read the password pipe', { error });
    }
  }
  return options;
}

/** `argv`: this launch's arguments, where Windows and Linux pass a sip:/im: link that started Parley. */
export function runApp(paths: AppPaths, argv: readonly string[] = process.argv): void {
  // Everything before `ready`.
  registerAppScheme();
  app.enableSandbox();
  // The same folder the CLI and the browser host use; Electron's own default for our name agrees.
  app.setPath('userData', dataDir());
  if (process.platform === 'win32') app.setAppUserModelId('org.parley.app');
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  // How often auto-away reads the idle time; the shell harness polls faster (e2e/shell/launch.ts).
  const idlePollMs = Number(process.env.PARLEY_IDLE_POLL_MS) || IDLE_POLL_MS;
  // The log sits in the data folder like every host's (electron/hosts/host-log.ts).
  const { logger } = openHostLog({ dataDir: app.getPath('userData') });
  let core: Core | null = null;
  let mainWindow: BrowserWindow | null = null;
  let mainRequests: WindowRequests | null = null;
  let tray: StatusTray | null = null;
  let settings: DesktopSettingsStore | null = null;
  let places: WindowPlaces | null = null;
  const cleanups: Array<() => void> = [];
  // Requests that came before the core and its window (a link that launched Parley).
  const early: ShellRequest[] = [];

  const showWindow = () => {
    // No window before the core exists: its first invoke would find no IPC handler.
    if (!app.isReady() || !core) return;
    if (!mainWindow || mainWindow.isDestroyed()) {
      const created = createWindow({ preloadPath: paths.preload, icon: paths.icon, logger, place: placeFor(places, 'main') });
      trackPlace(created, 'main', places);
      mainWindow = created;
      mainRequests = windowRequests(created);
      // Keep in the tray: closing hides the window, Parley stays signed in (not while quitting).
      created.on('close', (event) => {
        if (guard.state === 'running' && tray && settings?.get().closeToTray) {
          event.preventDefault();
          created.hide();
        }
      });
      created.on('closed', () => {
        if (mainWindow === created) mainWindow = mainRequests = null;
      });
      // The taskbar stops flashing once the user is back.
      created.on('focus', () => created.flashFrame(false));
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  /** Show the main window and ask it to do something (open a conversation, a chat with an address). */
  const ask = (request: ShellRequest) => {
    if (!core) {
      early.push(request);
      return;
    }
    showWindow();
    mainRequests?.send(request);
  };
  const openLink = (address: string | null) => {
    if (address) ask({ action: 'open-chat', address });
  };
  const firstLink = linkInArgv(argv);
  if (firstLink) early.push({ action: 'open-chat', address: firstLink });

  const guard = createQuitGuard({
    stop: async () => {
      places?.flush();
      for (const cleanup of cleanups.splice(0)) cleanup();
      tray?.destroy();
      await core?.stop();
    },
    quit: () => app.quit(),
    timeoutMs: 5000,
    logger,
  });

  // A second launch hands over its link (Windows, Linux) and focuses this one; macOS sends open-url.
  app.on('second-instance', (_event, otherArgv: string[]) => {
    showWindow();
    openLink(linkInArgv(otherArgv));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openLink(linkAddress(url));
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', showWindow);
  app.on('before-quit', (event) => {
    if (guard.onBeforeQuit()) event.preventDefault();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(async () => {
      serveApp(paths.rendererDir);
      places = openWindowPlaces({ dataDir: app.getPath('userData'), logger });
      hardenSession(session.defaultSession, logger);

      const secretBox = createSafeStorageSecretBox(safeStorage);
      // createParley also starts the core: sockets bound, registration under way.
      core = await createParley({
        dataDir: app.getPath('userData'),
        logger,
        openHistory: true, // the window will ask for pages
        downloadsDir: path.join(app.getPath('downloads'), 'Parley'),
        ...(secretBox ? { secretBox } : {}),
        ...launcherOptions(process.env, logger),
      });
      const started = core;
      if (guard.state !== 'running') {
        // Quit was asked for while the core was starting: the guard found nothing to stop.
        await started.stop();
        return;
      }

      if (app.isPackaged) for (const scheme of LINK_SCHEMES) app.setAsDefaultProtocolClient(scheme);
      const windows = () => BrowserWindow.getAllWindows().map((window) => window.webContents);
      // The chat settings the shell heeds (do not disturb while busy), as the core last answered them.
      let chatSettings = DEFAULT_CHAT_SETTINGS;
      void started.commands
        .getChatSettings({})
        .then((read) => {
          if (chatSettings === DEFAULT_CHAT_SETTINGS) chatSettings = read;
        })
        .catch((error: unknown) => logger.warn('could not read the chat settings', { error }));
      const attention = createAttention({
        show: (notice) => {
          notifier.show(notice);
          // The native notification is silent; the main window plays the sound unless muted.
          mainRequests?.send({ action: 'play-sound', sound: notice.kind });
          if (mainWindow && !mainWindow.isFocused()) mainWindow.flashFrame(true);
        },
        withdraw: (key) => notifier.withdraw(key),
        onUnread: (total) => {
          showUnread(total, mainWindow, paths.icon);
          tray?.update({ unread: total });
        },
        isAnyWindowFocused: () => BrowserWindow.getFocusedWindow() !== null,
        quietWhenBusy: () => chatSettings.quietWhenBusy,
      });
      const notifier = createNotifier({
        iconPath: paths.icon,
        onClick: (notice) =>
          notice.conversationId ? ask({ action: 'open-conversation', conversationId: notice.conversationId }) : showWindow(),
        onReply: (conversationId, text) => {
          const peer = conversationPeers.get(conversationId);
          if (peer)
            void started.commands
              .sendMessage({ to: peer, body: text, conversationId })
              .catch((error: unknown) => logger.warn('could not send a reply', { error }));
        },
        logger,
      });
      const conversationPeers = new Map<string, string>();
      // The commands only the shell can answer: a conversation in a window of its own, a save dialog, the file manager.
      const hosted = withHostCommands(started, {
        showFileInFolder: showFileInFolder(
          (id) => started.findFileTransfer?.(id),
          (file) => shell.showItemInFolder(file),
        ),
        saveConversationAs: saveConversationAs(started.commands.exportConversation, () => BrowserWindow.getFocusedWindow() ?? mainWindow),
        setChatSettings: async (change) => (chatSettings = await started.commands.setChatSettings(change)),
        getDesktopSettings: async () => settings?.get() ?? null,
        setDesktopSettings: async (change) => settings?.set(change) ?? null,
        reportView: async (view) => {
          attention.reportView(view);
          return { noted: true };
        },
        openConversationWindow: async ({ conversationId }) => {
          const { conversations } = await started.commands.getSnapshot({});
          if (!conversations.some((c) => c.id === conversationId))
            throw new UserError('that conversation does not exist', 'invalid-request');
          const key = `conversation:${conversationId}`;
          const opened = createWindow({
            preloadPath: paths.preload,
            icon: paths.icon,
            logger,
            url: `${APP_ENTRY_URL}${conversationHash(conversationId)}`,
            place: placeFor(places, key),
          });
          trackPlace(opened, key, places);
          return { opened: true };
        },
      });
      cleanups.push(
        bridgeIpc({
          ipcMain,
          core: hosted,
          isTrustedSender: createSenderCheck({ isOurWebContents }),
          send: broadcastTo(windows),
          logger,
        }),
      );
      const setAvailability = (availability: Availability) =>
        void started.commands
          .setStatus({ view: { availability, activities: [] }, until: 'cleared' })
          .catch((error: unknown) => logger.warn('could not set the status', { error }));
      const autoAway = createAutoAway({
        idleSeconds: () => powerMonitor.getSystemIdleTime(),
        minutes: () => settings?.get().autoAwayMinutes ?? 0,
        availability: () => attention.availability(),
        setAway: () => started.commands.setStatus({ view: { availability: 'away', activities: [] }, until: 'cleared' }),
        restore: (manual) =>
          manual ? started.commands.setStatus({ view: manual.view, until: manual.until }) : started.commands.clearStatus({}),
        logger,
      });
      tray = createStatusTray({
        trayDir: paths.trayDir,
        onShow: showWindow,
        onSetStatus: setAvailability,
        onQuit: () => app.quit(),
        logger,
      });
      settings = openDesktopSettings({
        dataDir: app.getPath('userData'),
        hasTray: tray !== null,
        onChange: (_now, change) => applyDesktopChange(change, app),
        logger,
      });
      Menu.setApplicationMenu(buildAppMenu({ run: (action) => ask({ action }), setStatus: setAvailability }));
      showWindow();
      for (const request of early.splice(0)) ask(request);
      let aor: string | undefined;
      cleanups.push(
        started.subscribe((event: SequencedEvent) => {
          if (event.type === 'account') aor = event.account?.aor;
          if (event.type === 'registration') tray?.update({ registration: event.state, line: statusLine(event, event.aor ?? aor) });
          if (event.type === 'conversation') conversationPeers.set(event.conversation.id, event.conversation.peer);
          attention.onEvent(event);
          if (event.type === 'status') autoAway.onStatus(event.status);
          if (event.type === 'status' || event.type === 'roster') tray?.update({ availability: attention.availability() });
        }),
        () => notifier.clear(),
      );

      const hooks = powerHooksOf(started);
      const watcher = createNetworkWatcher({
        sample: () => networkFingerprint(os.networkInterfaces(), net.isOnline()),
        onChange: () => callHook(hooks, 'onNetworkChange', logger),
      });
      const onSuspend = () => callHook(hooks, 'onSuspend', logger);
      const onResume = () => {
        callHook(hooks, 'onResume', logger);
        watcher.check();
      };
      powerMonitor.on('suspend', onSuspend);
      powerMonitor.on('resume', onResume);
      const timer = setInterval(() => watcher.check(), 5000);
      timer.unref();
      const idleTimer = setInterval(() => void autoAway.check(), idlePollMs);
      idleTimer.unref();
      cleanups.push(() => {
        clearInterval(timer);
        clearInterval(idleTimer);
        powerMonitor.off('suspend', onSuspend);
        powerMonitor.off('resume', onResume);
      });

      try {
        const snapshot = await started.commands.getSnapshot({});
        attention.load(snapshot);
        autoAway.onStatus(snapshot.presence.status);
        for (const conversation of snapshot.conversations) conversationPeers.set(conversation.id, conversation.peer);
        aor = snapshot.account?.aor;
        tray?.update({
          registration: snapshot.registration.state,
          line: statusLine(snapshot.registration, aor),
          availability: attention.availability(),
        });
      } catch (error) {
        logger.warn('no snapshot for the tray', { error });
      }
    })
    .catch((error: unknown) => {
      logger.error('Parley could not start', { error });
      dialog.showErrorBox('Parley could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
