import { describe, expect, it } from 'vitest';
import { trayImageFile, trayTooltip } from './tray-state.js';

describe('tray state', () => {
  it('pictures our status while connected, offline otherwise, the template on macOS', () => {
    expect(trayImageFile({ registration: 'registered', availability: 'away' }, 'linux')).toBe('away.png');
    expect(trayImageFile({ registration: 'direct', availability: 'busy' }, 'win32')).toBe('busy.png');
    expect(trayImageFile({ registration: 'retrying', availability: 'online' }, 'linux')).toBe('offline.png');
    expect(trayImageFile({ registration: 'registered', availability: 'online' }, 'darwin')).toBe('trayTemplate.png');
  });

  it('says the connection, the status and the unread count', () => {
    expect(trayTooltip({ registration: 'registered', availability: 'busy', line: 'Online as a@b', unread: 3 })).toBe(
      'Parley — Online as a@b — Busy — 3 unread',
    );
    expect(trayTooltip({ registration: 'failed', availability: 'busy', line: 'Offline', unread: 0 })).toBe('Parley — Offline');
  });
});
