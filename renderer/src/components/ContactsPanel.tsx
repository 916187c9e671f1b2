import { memo, useCallback, useId, useMemo, useState } from 'react';
import type { Contact } from '../../../shared/ipc.js';
import { contactRows, type ContactRow } from '../store/contact-rows.js';
import { useApp } from '../store/context.js';
import type { ContactSort } from '../store/store.js';
import { Avatar } from './Avatar.js';
import { ContactForm } from './ContactForm.js';
import { Dialog } from './Dialog.js';
import { FormError } from './FormError.js';
import { Menu } from './Menu.js';
import { VirtualRows } from './VirtualRows.js';
import { useServerConnected } from './useServerConnected.js';

const rowKey = (row: ContactRow) => row.key;
/** A row's height before it is measured (layout.css: .group-header, .contact-row). */
const rowHeight = (row: ContactRow) => (row.kind === 'group' ? 30 : 43);

/**
 * The contact list: groups that fold, a filter as you type, sorted by status or name; one compact
 * row per contact (click opens the chat; edit and remove in its menu). Virtualised: 5,000 contacts
 * cost the DOM of one screenful.
 */
export function ContactsPanel({ query }: { query: string }) {
  const presence = useApp((s) => s.presence);
  const sort = useApp((s) => s.contactSort);
  const collapsed = useApp((s) => s.collapsedGroups);
  const setSort = useApp((s) => s.setContactSort);
  const error = useApp((s) => s.presenceErrors.contact);
  const rows = useMemo(() => contactRows(presence, { query, sort, collapsed }), [presence, query, sort, collapsed]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [removing, setRemoving] = useState<{ contact: Contact; name: string } | null>(null);
  // One callback for every row, so a row is redrawn only when its own state changes.
  const onRemove = useCallback((contact: Contact, name: string) => setRemoving({ contact, name }), []);
  const sortId = useId();
  return (
    <section className="contacts-panel" aria-label="Contacts" data-testid="buddy-list">
      <div className="list-tools">
        <label htmlFor={sortId} className="sr-only">
          Sort contacts
        </label>
        <select id={sortId} value={sort} onChange={(e) => setSort(e.target.value as ContactSort)} data-testid="contact-sort">
          <option value="status">By status</option>
          <option value="name">By name</option>
        </select>
        <button type="button" className="secondary" onClick={() => setAdding(true)} data-testid="add-contact">
          Add contact
        </button>
      </div>
      {!adding && !editing && <FormError error={error} testId="contact-error" />}
      {rows.length === 0 ? (
        <p className="muted empty" data-testid="contacts-empty">
          {query ? 'Nobody matches.' : 'No contacts yet. Add the people you talk to, to see when they are available.'}
        </p>
      ) : (
        <VirtualRows
          rows={rows}
          keyOf={rowKey}
          estimate={rowHeight}
          render={(row) =>
            row.kind === 'group' ? <GroupHeader row={row} /> : <ContactItem row={row} onEdit={setEditing} onRemove={onRemove} />
          }
          overscan={8}
        />
      )}
      {adding && (
        <Dialog title="Add a contact" onClose={() => setAdding(false)} testId="contact-add-dialog">
          <FormError error={error} testId="contact-error" />
          {/* Stays open after adding: it says what adding meant for presence, and the next one can follow. */}
          <ContactForm />
        </Dialog>
      )}
      {editing && (
        <Dialog title="Edit contact" onClose={() => setEditing(null)} testId="contact-edit-dialog">
          <FormError error={error} testId="contact-error" />
          <ContactForm contact={editing} onDone={() => setEditing(null)} />
        </Dialog>
      )}
      {removing && <RemoveContact {...removing} onDone={() => setRemoving(null)} />}
    </section>
  );
}

const GroupHeader = memo(function GroupHeader({ row }: { row: Extract<ContactRow, { kind: 'group' }> }) {
  const toggle = useApp((s) => s.toggleGroup);
  return (
    <div className="group-header" data-testid="buddy-group" data-group={row.groupId}>
      <button type="button" aria-expanded={!row.collapsed} onClick={() => toggle(row.groupId)} data-testid="group-toggle">
        <span className="chevron" aria-hidden="true">
          {row.collapsed ? '▸' : '▾'}
        </span>
        <span className="group-title">{row.title}</span>
        <span className="muted group-count" aria-label={`${row.online} of ${row.count} available`}>
          {row.online}/{row.count}
        </span>
      </button>
    </div>
  );
});

export const ContactItem = memo(function ContactItem({
  row,
  onEdit,
  onRemove,
}: {
  row: Extract<ContactRow, { kind: 'contact' }>;
  onEdit(contact: Contact): void;
  onRemove(contact: Contact, name: string): void;
}) {
  const chatWith = useApp((s) => s.chatWithBuddy);
  // Without the server nothing is refreshed: every state shown is the last one known.
  const connected = useServerConnected();
  const { contact, name } = row.entry;
  const status = connected || row.entry.status.shown === 'failed' ? row.entry.status : { ...row.entry.status, stale: true };
  const stateText = status.note ? `${status.label} — ${status.note}` : status.label;
  return (
    <div
      className={`contact-row${status.stale ? ' stale' : ''}`}
      data-testid="buddy"
      data-aor={contact.aor}
      data-group={row.groupId}
      data-shown={status.shown}
      data-stale={status.stale}
      onContextMenu={(e) => {
        // The row's own menu, where people look for it: open it with the keyboard's way in.
        e.preventDefault();
        (e.currentTarget.querySelector('[aria-haspopup="menu"]') as HTMLButtonElement | null)?.click();
      }}
    >
      <button
        type="button"
        className="contact-open"
        onClick={() => void chatWith(contact.aor)}
        title={`${contact.aor}${status.detail ? `\n${status.detail}` : ''}`}
        data-testid="buddy-chat"
      >
        <Avatar name={name} address={contact.aor} presence={status.shown} size="sm" />
        <span className="contact-name">{name}</span>
        <span className="contact-state" data-testid="buddy-state">
          {stateText}
          {status.stale && ' (out of date)'}
        </span>
        {status.note && (
          <span className="sr-only" data-testid="buddy-note">
            {status.note}
          </span>
        )}
      </button>
      <Menu
        label={`Actions for ${name}`}
        trigger="⋯"
        align="end"
        testId="buddy-menu"
        items={[
          { label: 'Chat', onSelect: () => void chatWith(contact.aor), testId: 'buddy-menu-chat' },
          { label: 'Edit…', onSelect: () => onEdit(contact), testId: 'buddy-edit' },
          { label: 'Remove…', danger: true, onSelect: () => onRemove(contact, name), testId: 'buddy-remove' },
        ]}
      />
    </div>
  );
});

/** Removing asks first: the contact's presence is no longer watched, and the groups forget them. */
function RemoveContact({ contact, name, onDone }: { contact: Contact; name: string; onDone(): void }) {
  const removeContact = useApp((s) => s.removeContact);
  return (
    <Dialog title={`Remove ${name}?`} onClose={onDone} testId="contact-remove-dialog">
      <p>
        {name} ({contact.aor}) leaves your contacts and groups, and you stop watching their presence. Your conversations with them stay.
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            void removeContact(contact.aor);
            onDone();
          }}
          data-testid="contact-remove-confirm"
        >
          Remove
        </button>
      </div>
    </Dialog>
  );
}
