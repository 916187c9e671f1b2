/**
 * After the account form is saved with a server, waits for the registration's outcome: registered
 * closes the form; a failure keeps it open with the reason at the field it concerns (a wrong
 * password at the password). Runs outside React, like the read-mark watcher.
 */
import { registrationFieldError } from './account-form.js';
import type { AppStore } from './store.js';

export function watchAccountOutcome(store: AppStore): () => void {
  const check = () => {
    const { awaitingRegistration: before, registration } = store.getState();
    // Only a state that arrived after the save is its outcome.
    if (!before || registration === before) return;
    if (registration.state === 'registered') {
      store.setState({ awaitingRegistration: null, panel: null });
      return;
    }
    const failure = registrationFieldError(registration);
    if (failure) store.setState({ awaitingRegistration: null, panel: 'account', fieldErrors: { [failure.field]: failure.message } });
  };
  const unsubscribe = store.subscribe(check);
  check();
  return unsubscribe;
}
