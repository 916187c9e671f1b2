/** Tells the store whether the window has the keyboard focus (read marks wait for it). */
import type { AppStore } from './store/store.js';

export function watchWindowFocus(store: AppStore): () => void {
  const update = () => store.getState().setFocused(document.visibilityState === 'visible' && document.hasFocus());
  window.addEventListener('focus', update);
  window.addEventListener('blur', update);
  document.addEventListener('visibilitychange', update);
  update();
  return () => {
    window.removeEventListener('focus', update);
    window.removeEventListener('blur', update);
    document.removeEventListener('visibilitychange', update);
  };
}
