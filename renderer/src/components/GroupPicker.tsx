import { useId } from 'react';
import type { Group } from '../../../shared/ipc.js';
import { NEW_GROUP } from '../store/presence-forms.js';

/**
 * One group to put someone in: an existing group, none, or a new one named right here (the name
 * field appears when "New group…" is chosen). The caller turns the two values into a request with
 * groupChoice (store/presence-forms.ts).
 */
export function GroupPicker({
  groups,
  selected,
  newName,
  onSelect,
  onNewName,
  label = 'Group',
}: {
  groups: readonly Group[];
  selected: string;
  newName: string;
  onSelect: (value: string) => void;
  onNewName: (name: string) => void;
  label?: string;
}) {
  const id = useId();
  return (
    <div className="group-picker">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={selected} onChange={(e) => onSelect(e.target.value)} data-testid="watcher-request-group">
        <option value="">No group (everyone else)</option>
        {groups.map((g) => (
          <option key={g.id} value={g.id} title={g.name}>
            {g.name}
          </option>
        ))}
        <option value={NEW_GROUP}>New group…</option>
      </select>
      {selected === NEW_GROUP && (
        <>
          <label htmlFor={`${id}-new`} className="sr-only">
            Name of the new group
          </label>
          <input
            id={`${id}-new`}
            type="text"
            maxLength={64}
            placeholder="Name of the new group, e.g. Friends"
            value={newName}
            onChange={(e) => onNewName(e.target.value)}
            // The field the user just asked for (a new group): focus goes into it.
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            data-testid="watcher-request-new-group"
          />
        </>
      )}
    </div>
  );
}
