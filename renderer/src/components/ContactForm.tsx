import { useId, useState, type FormEvent } from 'react';
import { normalizeAddress, type Contact } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { contactAddedNotice } from '../store/presence-format.js';
import { buildContact, groupChoice, NEW_GROUP } from '../store/presence-forms.js';
import { contactName, findContact } from '../store/presence-selectors.js';
import { FormError } from './FormError.js';
import { GroupChecks } from './GroupChecks.js';
import '../styles/presence.css';

/**
 * Add a contact (address, name, groups, a new group made on the spot), or change an existing one's
 * name and groups. After adding, it says what that means for our presence (contacts may watch us).
 */
export function ContactForm({ contact, onDone }: { contact?: Contact; onDone?: () => void }) {
  const presence = useApp((s) => s.presence);
  const ownAor = useApp((s) => s.account?.aor);
  const saveContact = useApp((s) => s.saveContact);
  const saveGroup = useApp((s) => s.saveGroup);
  const setError = useApp((s) => s.setPresenceError);
  const groupError = useApp((s) => s.presenceErrors.group);
  const busy = useApp((s) => Boolean(s.presenceBusy.contact));
  const [address, setAddress] = useState(contact?.aor ?? '');
  const [name, setName] = useState(contact?.name ?? '');
  const [groups, setGroups] = useState<string[]>(contact?.groups ?? []);
  const [notice, setNotice] = useState<string | null>(null);
  const base = useId();

  const createGroup = async (groupName: string): Promise<string | null> => {
    const choice = groupChoice(NEW_GROUP, groupName, presence.groups);
    if (!choice.ok) return null;
    if (choice.create && !(await saveGroup(choice.create))) return null;
    return choice.groupId ?? null;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const built = buildContact({ address, name, groups }, ownAor, contact ?? findContact(presence, address));
    if (!built.ok) return setError('contact', built.error);
    if (!(await saveContact(built.contact))) return;
    if (!contact) {
      const watcher = presence.watchers[normalizeAddress(built.contact.aor)];
      setNotice(contactAddedNotice(contactName(built.contact), watcher?.status));
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
          <input
            id={`${base}-address`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="bob or sip:bob@example.org"
            value={address}
            title={address || undefined}
            onChange={(e) => setAddress(e.target.value)}
            data-testid="contact-address"
          />
        </>
      )}
      <label htmlFor={`${base}-name`}>Name (optional)</label>
      <input
        id={`${base}-name`}
        type="text"
        maxLength={128}
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="contact-name"
      />
      <GroupChecks groups={presence.groups} chosen={groups} onChange={setGroups} onCreate={createGroup} />
      <FormError error={groupError} testId="contact-group-error" />
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
      {notice && (
        <p className="notice-inline" role="status" data-testid="contact-added-notice">
          {notice}
        </p>
      )}
    </form>
  );
}
