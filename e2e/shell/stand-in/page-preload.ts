/**
 * The real sandboxed preload (dist/.../preload.cjs) run in a Chromium page: wrapped in a function
 * whose `require('electron')` gives contextBridge and ipcRenderer over two Playwright bindings, the
 * way Electron gives them to a sandboxed preload. The page's world and the preload's are one here
 * (no context isolation in a plain page): the renderer still only uses window.parley.
 */
export const INVOKE_BINDING = '__parleyStandInInvoke';
export const DELIVER_FUNCTION = '__parleyStandInDeliver';

export function preloadInitScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => window.${INVOKE_BINDING}(channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  Object.defineProperty(window, ${JSON.stringify(DELIVER_FUNCTION)}, {
    value: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener({ senderId: 0 }, payload);
    },
  });
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: api, enumerable: true });
    },
  };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('a sandboxed preload may not require ' + name);
  };
  const module = { exports: {} };
  const exports = module.exports;
  ${preloadSource}
})();`;
}
