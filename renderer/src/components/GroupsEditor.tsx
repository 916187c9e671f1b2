import { useId, useState, type FormEvent } from 'react';
import type { Group } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { uniqueId } from '../store/presence-forms.js';
import { FormError } from './FormError.js';

/** Create, rename and delete groups (deleting a group keeps its members as contacts). */
export function GroupsEditor() {
  const groups = useApp((s) => s.presence.groups);
  const saveGroup = useApp((s) => s.saveGroup);
  const error = useApp((s) => s.presenceErrors.group);
  const busy = useApp((s) => Boolean(s.presenceBusy.group));
  const [name, setName] = useState('');
  const id = useId();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const group = {
      id: uniqueId(
        name,
        groups.map((g) => g.id),
        'group',
      ),
      name: name.trim(),
    };
    if (await saveGroup(group)) setName('');
  };
  return (
    <div className="groups-editor" data-testid="groups-editor">
      <ul className="rows">
        {groups.map((group) => (
          <GroupRow key={group.id} group={group} />
        ))}
      </ul>
      <form className="inline" onSubmit={(e) => void onSubmit(e)}>
        <label htmlFor={id} className="sr-only">
          New group
        </label>
        <input
          id={id}
          type="text"
          maxLength={64}
          placeholder="New group, e.g. Friends"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="group-new-name"
        />
        <button type="submit" className="secondary" disabled={busy} data-testid="group-add">
          Add group
        </button>
      </form>
      <FormError error={error} testId="group-error" />
    </div>
  );
}

function GroupRow({ group }: { group: Group }) {
  const saveGroup = useApp((s) => s.saveGroup);
  const deleteGroup = useApp((s) => s.deleteGroup);
  const [name, setName] = useState(group.name);
  const id = useId();
  return (
    <li className="row" data-testid="group" data-group={group.id}>
      <label htmlFor={id} className="sr-only">
        Name of group {group.name}
      </label>
      <input id={id} type="text" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} data-testid="group-name" />
      <button
        type="button"
        className="secondary"
        disabled={name.trim() === group.name}
        onClick={() => void saveGroup({ ...group, name: name.trim() })}
        data-testid="group-rename"
      >
        Rename
      </button>
      <button type="button" className="secondary" onClick={() => void deleteGroup(group.id)} data-testid="group-delete">
        Delete
      </button>
    </li>
  );
}
