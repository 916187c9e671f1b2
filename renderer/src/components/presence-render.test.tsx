import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AUTO_MODE_EXPLANATION, DIRECT_MODE_EXPLANATION, SERVER_MODE_EXPLANATION, type AccountView } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { testPresence } from '../testing/presence.js';
import { buildAccount, formFromAccount } from '../store/account-form.js';
import { StoreProvider } from '../store/context.js';
import { presenceFromSnapshot } from '../store/presence-model.js';
import { createAppStore, type AppState } from '../store/store.js';
import { AccountForm } from './AccountForm.js';
import { contactRows } from '../store/contact-rows.js';
import { ContactItem } from './ContactsPanel.js';
import { ConversationView } from './Conversation.js';
import { PreviewAnswer } from './PreviewAnswer.js';
import { StatusMenu } from './StatusMenu.js';
import { WatcherRequests } from './WatcherRequests.js';
import { WeekView } from './WeekView.js';

function render(node: ReactNode, state: Partial<AppState> = {}): string {
  const store = createAppStore(fakeClient().api);
  store.setState(state);
  return renderToStaticMarkup(<StoreProvider store={{ ...store, getInitialState: store.getState }}>{node}</StoreProvider>);
}

describe('ContactItem', () => {
  it('shows a buddy with state and note, greys a stale one, and renders a hostile note as text', () => {
    const presence = presenceFromSnapshot(
      testPresence({
        buddies: [
          {
            aor: 'sip:bob@example.org',
            view: { availability: 'busy', note: '<b>x</b>', activities: [] },
            subscription: 'active',
            stale: true,
          },
          { aor: 'sip:dave@example.org', view: null, subscription: 'pending', stale: false },
        ],
      }),
    );
    const rows = contactRows(presence, { query: '', sort: 'status', collapsed: {} });
    const html = rows
      .map((row) => (row.kind === 'contact' ? render(<ContactItem row={row} onEdit={() => {}} onRemove={() => {}} />, { presence }) : ''))
      .join('');
    expect(html).toContain('data-shown="busy" data-stale="true"');
    expect(html).toContain('contact-row stale');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('Awaiting authorization');
    expect(rows.some((row) => row.kind === 'group' && row.title === 'Other contacts')).toBe(true);
  });
});

describe('WatcherRequests', () => {
  it('is absent without pending watchers, and offers allow into a group and block for each', () => {
    expect(render(<WatcherRequests />, { presence: presenceFromSnapshot(testPresence()) })).toBe('');
    const presence = presenceFromSnapshot(
      testPresence({ watchers: [{ aor: 'sip:eve@example.org', status: 'pending', source: 'direct', subscribed: true, lastSeen: 1 }] }),
    );
    const html = render(<WatcherRequests />, { presence });
    expect(html).toContain('Someone wants to see your presence');
    expect(html).toContain('sip:eve@example.org');
    expect(html).toContain('data-testid="watcher-allow"');
    expect(html).toContain('data-testid="watcher-block"');
    expect(html).toContain('>Co-workers</option>');
  });
});

describe('StatusMenu', () => {
  it('shows the status set by hand and offers to clear it', () => {
    const manual = { view: { availability: 'away' as const, note: 'Lunch', activities: [] }, until: 'cleared' as const, setAt: 0 };
    const presence = presenceFromSnapshot(testPresence({ status: { profileId: 'available', manual } }));
    const html = render(<StatusMenu />, { presence });
    expect(html).toContain('data-availability="away" data-manual="true"');
    expect(html).toContain('Lunch');
    expect(html).toContain('Set by hand');
    expect(html).toContain('until you clear it');
    expect(html).toContain('data-testid="status-clear"');
    expect(render(<StatusMenu />, { presence: presenceFromSnapshot(testPresence()) })).not.toContain('status-clear');
  });

  it('says who sees which state when the active profile shows groups different states, and only then', () => {
    const html = render(<StatusMenu />, {
      presence: presenceFromSnapshot(testPresence({ status: { profileId: 'work-hours', manual: null } })),
    });
    expect(html).toContain('Busy to Friends, Away to Co-workers and everyone else');
    expect(html).toContain('aria-haspopup="dialog"');
    expect(render(<StatusMenu />, { presence: presenceFromSnapshot(testPresence()) })).not.toContain('data-testid="status-split"');
  });
});

describe('WeekView', () => {
  it('labels every block with its word and a description, and renders a hostile note as text', () => {
    const presence = presenceFromSnapshot(
      testPresence({
        profiles: [
          { id: 'available', name: 'Available', views: { '*': { availability: 'online', activities: [] } } },
          {
            id: 'work-hours',
            name: 'Work hours',
            views: {
              '*': { availability: 'away', activities: [] },
              friends: { availability: 'busy', note: '<img src=x>', activities: [] },
            },
          },
        ],
        schedule: {
          timeZone: 'UTC',
          defaultProfileId: 'available',
          rules: [{ id: 'r', days: [1], start: '09:00', end: '17:00', profileId: 'work-hours' }],
        },
      }),
    );
    const html = render(<WeekView />, { presence });
    expect(html).toContain('data-audience="friends"');
    expect(html).toMatch(/Monday 09:00 to 17:00: Busy — &lt;img src=x&gt; \(profile Work hours\)/);
    expect(html).not.toContain('<img');
    expect(html.match(/data-testid="week-block"/g)).toHaveLength(9);
  });
});

describe('PreviewAnswer', () => {
  it("words the core's facts, naming the watcher as the contact list does", () => {
    const presence = presenceFromSnapshot(testPresence({ contacts: [{ aor: 'sip:pat@example.org', name: 'Pat Quinn', groups: [] }] }));
    const answer = {
      watcher: 'sip:pat@example.org',
      view: { availability: 'offline' as const, activities: [] },
      source: 'pending' as const,
      explanation: { code: 'view.pending' as const, params: { watcher: 'sip:pat@example.org', availability: 'offline' as const } },
    };
    const html = render(<PreviewAnswer previewKey="sip:pat@example.org" />, {
      presence,
      previews: { 'sip:pat@example.org': { state: 'done', answer } },
    });
    expect(html).toContain('Pat Quinn is waiting for your permission, so they see Offline: nothing real is shown until you allow them');
  });
});

describe('account form: presence mode', () => {
  const account: AccountView = {
    aor: 'sip:alice@example.org',
    proxy: 'sip:sip.example.org',
    transport: 'udp',
    registerExpires: 600,
    hasPassword: true,
  };

  it('explains the chosen mode, and is not offered without a server', () => {
    expect(render(<AccountForm />, { account })).toContain(AUTO_MODE_EXPLANATION.replace(/"/g, '&quot;'));
    expect(render(<AccountForm />, { account: { ...account, presenceMode: 'direct' } })).toContain(
      DIRECT_MODE_EXPLANATION.replace(/"/g, '&quot;'),
    );
    expect(render(<AccountForm />, { account: { ...account, presenceMode: 'server' } })).toContain(
      SERVER_MODE_EXPLANATION.replace(/"/g, '&quot;'),
    );
    expect(render(<AccountForm />, { account: { ...account, proxy: undefined } })).not.toContain('data-testid="presence-mode"');
  });

  it('saves a chosen mode only with a server, and automatic as the default', () => {
    const values = { ...formFromAccount(account), presenceMode: 'server' as const };
    expect(buildAccount(values, null)).toMatchObject({ ok: true, account: { presenceMode: 'server' } });
    expect(buildAccount({ ...values, presenceMode: 'direct' }, null)).toMatchObject({ ok: true, account: { presenceMode: 'direct' } });
    const serverless = buildAccount({ ...values, proxy: '' }, null);
    expect(serverless.ok && 'presenceMode' in serverless.account).toBe(false);
    const automatic = buildAccount({ ...values, presenceMode: 'auto' }, null);
    expect(automatic.ok && 'presenceMode' in automatic.account).toBe(false);
    expect(formFromAccount(null).presenceMode).toBe('auto');
  });
});

describe('ConversationView header', () => {
  it("shows a watched contact's status and note beside the address, and only the address for someone not watched", () => {
    const presence = presenceFromSnapshot(
      testPresence({
        buddies: [
          {
            aor: 'sip:bob@example.org',
            view: { availability: 'busy', note: 'In a meeting', activities: [] },
            subscription: 'active',
            stale: false,
          },
        ],
      }),
    );
    const bob = render(<ConversationView />, { presence, draftPeer: 'sip:bob@example.org' });
    expect(bob).toContain('data-testid="conversation-status" data-shown="busy">Busy — In a meeting</span>');
    expect(bob).toContain('avatar-dot dot-busy');
    expect(bob).toContain('data-testid="conversation-address">sip:bob@example.org</span>');
    const stranger = render(<ConversationView />, { presence, draftPeer: 'sip:mallory@example.org' });
    expect(stranger).not.toContain('conversation-status');
    expect(stranger).not.toContain('avatar-dot');
    expect(stranger).toContain('data-testid="conversation-address">sip:mallory@example.org</span>');
  });
});
