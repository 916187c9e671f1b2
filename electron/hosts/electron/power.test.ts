import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger, type Logger } from '../../support/logger.js';
import { callHook, createNetworkWatcher, networkFingerprint, powerHooksOf } from './power.js';

function iface(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

describe('powerHooksOf', () => {
  it('finds the hooks an object has, bound to it', async () => {
    const calls: string[] = [];
    const core = {
      name: 'core',
      onResume(this: { name: string }) {
        calls.push(`resume:${this.name}`);
      },
    };
    const hooks = powerHooksOf(core);
    expect(Object.keys(hooks)).toEqual(['onResume']);
    await hooks.onResume?.();
    expect(calls).toEqual(['resume:core']);
    expect(powerHooksOf(null)).toEqual({});
  });

  it('callHook isolates a hook that throws or rejects', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
    callHook(
      {
        onResume: () => {
          throw new Error('boom');
        },
      },
      'onResume',
      logger,
    );
    callHook(
      {
        onNetworkChange: async () => {
          throw new Error('later');
        },
      },
      'onNetworkChange',
      logger,
    );
    callHook({}, 'onSuspend', logger);
    // The rejected hook is reported once its promise settles: wait for that, not for a tick.
    await vi.waitFor(() => expect(warnings).toEqual(['power: onResume failed', 'power: onNetworkChange failed']));
  });
});

describe('network watcher', () => {
  it('fingerprints external addresses and connectivity, ignoring loopback and rotating IPv6', () => {
    const a = networkFingerprint(
      {
        lo: [iface('127.0.0.1', 'IPv4', true)],
        eth0: [iface('192.168.1.5', 'IPv4'), iface('2001:db8::1', 'IPv6'), iface('fe80::1', 'IPv6')],
      },
      true,
    );
    const rotated = networkFingerprint(
      { eth0: [iface('192.168.1.5', 'IPv4'), iface('2001:db8::99', 'IPv6'), iface('2001:db8::1', 'IPv6')] },
      true,
    );
    expect(rotated).toBe(a);
    expect(networkFingerprint({ eth0: [iface('192.168.1.6', 'IPv4')] }, true)).not.toBe(a);
    expect(networkFingerprint({ eth0: [iface('192.168.1.5', 'IPv4'), iface('2001:db8::1', 'IPv6')] }, false)).not.toBe(a);
  });

  it('calls onChange once per change', () => {
    let current = 'one';
    let changes = 0;
    const watcher = createNetworkWatcher({ sample: () => current, onChange: () => void changes++ });
    expect(watcher.check()).toBe(false);
    current = 'two';
    expect(watcher.check()).toBe(true);
    expect(watcher.check()).toBe(false);
    expect(changes).toBe(1);
  });
});
