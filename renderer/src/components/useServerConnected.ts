import { useApp } from '../store/context.js';
import { serverLink } from '../store/connection-state.js';

/** Whether the account's server is reachable now (always, in direct mode). */
export function useServerConnected(): boolean {
  return useApp((s) => serverLink(s.account, s.registration, 0).connected);
}
