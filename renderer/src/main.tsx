import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api.js';
import { App } from './components/App.js';
import { StoreProvider } from './store/context.js';
import { createAppStore } from './store/store.js';
import { startSync } from './store/sync.js';
import './styles.css';

const api = getApi();
const store = createAppStore(api);
startSync(store, api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
