import { useId } from 'react';
import type { Group } from '../../../shared/ipc.js';
import { toggleItem } from '../store/presence-forms.js';

/** Which groups a contact is in: one checkbox per group. */
export function GroupChecks({ groups, chosen, onChange }: { groups: readonly Group[]; chosen: readonly string[]; onChange: (groups: string[]) => void }) {
  const base = useId();
  if (groups.length === 0) return <p className="hint">No groups yet: create them in the presence settings.</p>;
  return (
    <fieldset className="group-checks">
      <legend>Groups</legend>
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
          <label htmlFor={`${base}-${group.id}`}>{group.name}</label>
        </div>
      ))}
    </fieldset>
  );
}
