import { useId, useState, type FormEvent } from 'react';
import type { Contact } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { buildContact } from '../store/presence-forms.js';
import { findContact } from '../store/presence-selectors.js';
import { GroupChecks } from './GroupChecks.js';

/** Add a contact (address, name, groups), or change an existing one's name and groups. */
export function ContactForm({ contact, onDone }: { contact?: Contact; onDone?: () => void }) {
  const presence = useApp((s) => s.presence);
  const ownAor = useApp((s) => s.account?.aor);
  const saveContact = useApp((s) => s.saveContact);
  const setError = useApp((s) => s.setPresenceError);
  const busy = useApp((s) => Boolean(s.presenceBusy.contact));
  const [address, setAddress] = useState(contact?.aor ?? '');
  const [name, setName] = useState(contact?.name ?? '');
  const [groups, setGroups] = useState<string[]>(contact?.groups ?? []);
  const base = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildContact({ address, name, groups }, ownAor, contact ?? findContact(presence, address));
    if (!built.ok) return setError('contact', built.error);
    if (!(await saveContact(built.contact))) return;
    if (!contact) {
      setAddress('');
      setName('');
      setGroups([]);
    }
    onDone?.();
  };

  return (
    <form className="contact-form" onSubmit={(e) => void onSubmit(e)} data-testid={contact ? 'contact-edit-form' : 'contact-add-form'}>
      {!contact && (
        <>
          <label htmlFor={`${base}-address`}>Address</label>
          <input id={`${base}-address`} type="text" spellCheck={false} autoComplete="off" placeholder="bob or sip:bob@example.org" value={address} onChange={(e) => setAddress(e.target.value)} data-testid="contact-address" />
        </>
      )}
      <label htmlFor={`${base}-name`}>Name (optional)</label>
      <input id={`${base}-name`} type="text" maxLength={128} value={name} onChange={(e) => setName(e.target.value)} data-testid="contact-name" />
      <GroupChecks groups={presence.groups} chosen={groups} onChange={setGroups} />
      <div className="actions compact">
        <button type="submit" className="primary" disabled={busy} data-testid="contact-save">
          {contact ? 'Save' : 'Add contact'}
        </button>
        {onDone && contact && (
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
