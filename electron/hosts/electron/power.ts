/**
 * Power and network events for the core. Electron reports suspend/resume (powerMonitor) but has
 * no network-change event, so a watcher compares a fingerprint of the machine's addresses and
 * the online flag on a timer and on resume.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { Logger } from '../../support/logger.js';

/** Optional hooks a core may offer; the Electron shell calls the ones present. */
export interface PowerHooks {
  onSuspend?(): void | Promise<void>;
  /** Woke from sleep: re-register, re-subscribe, re-evaluate schedules. */
  onResume?(): void | Promise<void>;
  /** Addresses or connectivity changed: reconnect flows, learn the new public address. */
  onNetworkChange?(): void | Promise<void>;
}

/** The hooks an object (usually the Core) carries, if any. */
export function powerHooksOf(target: unknown): PowerHooks {
  const hooks: PowerHooks = {};
  if (typeof target !== 'object' || target === null) return hooks;
  const candidate = target as Record<string, unknown>;
  for (const name of ['onSuspend', 'onResume', 'onNetworkChange'] as const) {
    const fn = candidate[name];
    if (typeof fn === 'function') hooks[name] = () => (fn as () => void | Promise<void>).call(target);
  }
  return hooks;
}

/** Call one hook if present; a hook that throws or rejects is logged, never propagated. */
export function callHook(hooks: PowerHooks, name: keyof PowerHooks, logger: Logger): void {
  const hook = hooks[name];
  if (!hook) return;
  try {
    void Promise.resolve(hook()).catch((error: unknown) => logger.warn(`power: ${name} failed`, { error }));
  } catch (error) {
    logger.warn(`power: ${name} failed`, { error });
  }
}

/**
 * A stable summary of the external addresses and connectivity: it changes when an interface
 * comes or goes, an address changes, or the machine goes on/offline.
 */
export function networkFingerprint(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, online: boolean): string {
  const addresses: string[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4') addresses.push(`${name}/v4/${info.address}`);
      // IPv6 privacy addresses rotate without any real change: count only that the interface
      // has a routable IPv6 address, not which one. Link-local addresses say nothing.
      else if (!/^fe80:/i.test(info.address)) addresses.push(`${name}/v6`);
    }
  }
  return `${online ? 'online' : 'offline'}|${[...new Set(addresses)].sort().join(',')}`;
}

export interface NetworkWatcher {
  /** Sample now; calls onChange and returns true when the fingerprint differs from the last. */
  check(): boolean;
}

export function createNetworkWatcher(options: { sample: () => string; onChange: () => void }): NetworkWatcher {
  let last = options.sample();
  return {
    check() {
      const now = options.sample();
      if (now === last) return false;
      last = now;
      options.onChange();
      return true;
    },
  };
}
