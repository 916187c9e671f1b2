import { useId, useState, type KeyboardEvent } from 'react';
import type { Group } from '../../../shared/ipc.js';
import { toggleItem } from '../store/presence-forms.js';

/**
 * Which groups a contact is in: one checkbox per group, and (with `onCreate`) a field to make a
 * new group on the spot, which is then ticked. It sits inside another form, so Enter in the
 * field creates the group instead of submitting that form.
 */
export function GroupChecks({
  groups,
  chosen,
  onChange,
  onCreate,
}: {
  groups: readonly Group[];
  chosen: readonly string[];
  onChange: (groups: string[]) => void;
  onCreate?: (name: string) => Promise<string | null>;
}) {
  const base = useId();
  const [name, setName] = useState('');
  const create = async () => {
    if (!onCreate || !name.trim()) return;
    const id = await onCreate(name);
    if (id === null) return;
    setName('');
    if (!chosen.includes(id)) onChange([...chosen, id]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void create();
  };
  return (
    <fieldset className="group-checks">
      <legend>Groups</legend>
      {groups.length === 0 && !onCreate && <p className="hint">No groups yet: create them in the presence settings.</p>}
      {groups.map((group) => (
        <div className="check" key={group.id}>
          <input
            id={`${base}-${group.id}`}
            type="checkbox"
            checked={chosen.includes(group.id)}
            onChange={() => onChange(toggleItem(chosen, group.id))}
            data-testid="contact-group"
            data-group={group.id}
          />
          <label htmlFor={`${base}-${group.id}`} title={group.name}>
            {group.name}
          </label>
        </div>
      ))}
      {onCreate && (
        <div className="group-create">
          <label htmlFor={`${base}-new`} className="sr-only">
            New group
          </label>
          <input
            id={`${base}-new`}
            type="text"
            maxLength={64}
            placeholder="New group"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={onKeyDown}
            data-testid="contact-new-group"
          />
          <button
            type="button"
            className="secondary"
            disabled={!name.trim()}
            onClick={() => void create()}
            data-testid="contact-new-group-add"
          >
            Create group
          </button>
        </div>
      )}
    </fieldset>
  );
}
