import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api.js';
import { App } from './components/App.js';
import { StoreProvider } from './store/context.js';
import { createAppStore, systemTimers } from './store/store.js';
import { startSync } from './store/sync.js';
import { watchAccountOutcome } from './store/account-outcome.js';
import { watchReadMarks } from './store/read-marks.js';
import { watchTypingLapses } from './store/typing-lapses.js';
import { watchDrafts } from './store/draft-saver.js';
import { loadEmojiFont } from './emoji-font.js';
import { watchWindowFocus } from './focus.js';
import { watchShell } from './shell-requests.js';
import { createSoundPlayer } from './notify/sounds.js';
import { SOUND_URLS } from './notify/sound-files.js';
import { watchWebAttention } from './notify/web-attention.js';
import { createWebNotifier, notificationHost } from './notify/web-notices.js';
import { parseRoute } from './store/route.js';
// Noto Color Emoji as a COLRv1 font, the colour format Chromium (and so Electron) draws; the
// OpenType-SVG build of the same font draws nothing there. emoji-font.ts puts it to use.
import '@infolektuell/noto-color-emoji/index.css';
import './styles.css';
import './styles/layout.css';

const api = getApi();
const store = createAppStore(api);
const sounds = createSoundPlayer({ urls: SOUND_URLS, muted: () => store.getState().chatSettings?.muteSounds ?? false });
// The browser host's main page notifies (Web Notifications); Electron's shell does it natively.
const webAttention =
  !window.parley && parseRoute(window.location.hash).kind !== 'conversation'
    ? watchWebAttention(store, api, {
        sounds,
        notifier: createWebNotifier({
          host: notificationHost,
          onClick: (notice) => {
            window.focus();
            if (notice.conversationId) store.getState().selectConversation(notice.conversationId);
          },
        }),
      })
    : null;
startSync(store, api, { onSnapshot: (snapshot) => webAttention?.load(snapshot) });
watchWindowFocus(store);
watchShell(store, api, sounds);
watchReadMarks(store);
watchAccountOutcome(store);
void loadEmojiFont();
watchTypingLapses(store, systemTimers);
watchDrafts(store, systemTimers);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
