import { useMemo, useState } from 'react';
import { useApp } from '../store/context.js';
import { buddySections, type BuddyEntry } from '../store/presence-selectors.js';
import { ContactForm } from './ContactForm.js';
import { FormError } from './FormError.js';

/** Contacts by group with their presence, "Other contacts" last; add, edit, remove, chat. */
export function BuddyList() {
  const presence = useApp((s) => s.presence);
  const error = useApp((s) => s.presenceErrors.contact);
  const sections = useMemo(() => buddySections(presence), [presence]);
  return (
    <section className="buddy-list" aria-label="Contacts" data-testid="buddy-list">
      <h2 className="section-title">Contacts</h2>
      {sections.length === 0 && <p className="muted empty">No contacts yet.</p>}
      {sections.map((section) => (
        <div className="buddy-group" key={section.groupId ?? ''} data-testid="buddy-group" data-group={section.groupId ?? ''}>
          <h3>
            {section.title} <span className="muted">({section.buddies.length})</span>
          </h3>
          <ul>
            {section.buddies.map((entry) => (
              <BuddyItem key={entry.contact.aor} entry={entry} />
            ))}
          </ul>
        </div>
      ))}
      <FormError error={error} testId="contact-error" />
      <details className="add-contact">
        <summary data-testid="add-contact">Add a contact…</summary>
        <ContactForm />
      </details>
    </section>
  );
}

function BuddyItem({ entry }: { entry: BuddyEntry }) {
  const chatWith = useApp((s) => s.chatWithBuddy);
  const removeContact = useApp((s) => s.removeContact);
  const [editing, setEditing] = useState(false);
  const { contact, status } = entry;
  return (
    <li
      className={`buddy${status.stale ? ' buddy-stale' : ''}`}
      data-testid="buddy"
      data-aor={contact.aor}
      data-shown={status.shown}
      data-stale={status.stale}
      title={contact.aor}
    >
      <div className="buddy-main">
        <span className={`presence-dot presence-${status.shown}`} aria-hidden="true" />
        <span className="buddy-name">{entry.name}</span>
        <span className="buddy-state" data-testid="buddy-state">
          {status.label}
          {status.stale && ' (out of date)'}
        </span>
      </div>
      {status.note && (
        <p className="buddy-note" data-testid="buddy-note">
          {status.note}
        </p>
      )}
      {status.detail && (
        <p className="hint" data-testid="buddy-detail">
          {status.detail}
        </p>
      )}
      <div className="actions compact">
        <button type="button" className="secondary" onClick={() => void chatWith(contact.aor)} data-testid="buddy-chat">
          Chat
        </button>
        <button type="button" className="secondary" aria-expanded={editing} onClick={() => setEditing(!editing)} data-testid="buddy-edit">
          Edit
        </button>
        <button type="button" className="secondary" onClick={() => void removeContact(contact.aor)} data-testid="buddy-remove">
          Remove
        </button>
      </div>
      {editing && <ContactForm contact={contact} onDone={() => setEditing(false)} />}
    </li>
  );
}
