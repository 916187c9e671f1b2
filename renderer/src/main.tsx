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
// Noto Color Emoji as a COLRv1 font, the colour format Chromium (and so Electron) draws; the
// OpenType-SVG build of the same font draws nothing there. emoji-font.ts puts it to use.
import '@infolektuell/noto-color-emoji/index.css';
import './styles.css';
import './styles/layout.css';

const api = getApi();
const store = createAppStore(api);
startSync(store, api);
watchWindowFocus(store);
watchShell(store, api);
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
