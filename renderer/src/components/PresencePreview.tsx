import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { completeAddress } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { groupPreviewTargets } from '../store/presence-selectors.js';
import { groupPreviewKey } from '../store/presence-slice.js';
import { PreviewAnswer } from './PreviewAnswer.js';
import { PreviewAtTime } from './PreviewAtTime.js';

/**
 * "What does X see now": per group (and everyone else) and for a contact or address the user
 * picks, then the same per group at a chosen day and time. Asked again whenever anything that
 * decides it changes.
 */
export function PresencePreview() {
  const presence = useApp((s) => s.presence);
  const ownAor = useApp((s) => s.account?.aor);
  const previewWatchers = useApp((s) => s.previewWatchers);
  const previewGroups = useApp((s) => s.previewGroups);
  const [picked, setPicked] = useState<string | null>(null);
  const targets = useMemo(() => groupPreviewTargets(presence), [presence]);
  // As strings, so a buddy's presence changing (a new presence object) does not ask again.
  const askedGroups = targets.map((t) => t.groupId).join('\n');
  const { status, contacts, groups, profiles, schedule, watchers } = presence;
  useEffect(() => {
    void previewGroups(askedGroups.split('\n'));
  }, [previewGroups, askedGroups, status, contacts, groups, profiles, schedule, watchers]);
  useEffect(() => {
    if (picked) void previewWatchers([picked]);
  }, [previewWatchers, picked, status, contacts, groups, profiles, schedule, watchers]);

  return (
    <div className="presence-preview" data-testid="presence-preview">
      <h3 className="subsection-title">Now</h3>
      <ul className="rows preview-rows">
        {targets.map((target) => (
          <li key={target.groupId} className="row preview-row" data-testid="preview-group" data-group={target.groupId}>
            <strong className="preview-who" title={target.title}>
              {target.title}
            </strong>
            <PreviewAnswer previewKey={groupPreviewKey(target.groupId)} />
          </li>
        ))}
      </ul>
      <PickWatcher
        contacts={contacts.map((c) => c.aor)}
        onPick={(input) => {
          const address = completeAddress(input, ownAor);
          setPicked(address);
          return address !== null;
        }}
      />
      {picked && (
        <div className="row preview-row" data-testid="preview-picked" data-aor={picked}>
          <strong className="preview-who" title={picked}>
            {picked}
          </strong>
          <PreviewAnswer previewKey={picked} />
        </div>
      )}
      <PreviewAtTime />
    </div>
  );
}

function PickWatcher({ contacts, onPick }: { contacts: readonly string[]; onPick: (input: string) => boolean }) {
  const [input, setInput] = useState('');
  const [invalid, setInvalid] = useState(false);
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setInvalid(!onPick(input));
  };
  return (
    <form className="inline preview-pick" onSubmit={onSubmit}>
      <label htmlFor={id}>What does this contact or address see?</label>
      <input
        id={id}
        type="text"
        list={`${id}-contacts`}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={invalid}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        data-testid="preview-address"
      />
      <datalist id={`${id}-contacts`}>
        {contacts.map((aor) => (
          <option key={aor} value={aor} />
        ))}
      </datalist>
      <button type="submit" className="secondary" data-testid="preview-ask">
        Show
      </button>
    </form>
  );
}
