import { useId, useState, type FormEvent } from 'react';
import type { Profile } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { draftFromProfile, newProfileDraft, profileFromDraft, type ProfileDraft } from '../store/presence-forms.js';
import { ViewFields } from './ViewFields.js';
import { FormError } from './FormError.js';

/** Profiles: what each group and everyone else sees. Pick one to edit, or start a new one. */
export function ProfileEditor() {
  const profiles = useApp((s) => s.presence.profiles);
  const groups = useApp((s) => s.presence.groups);
  const [selected, setSelected] = useState<string | null>(null);
  const [fresh, setFresh] = useState<ProfileDraft | null>(null);
  const [newName, setNewName] = useState('');
  const id = useId();
  const stored = profiles.find((p) => p.id === selected);
  const draft = fresh ?? (stored ? draftFromProfile(stored, groups) : null);

  const startNew = (event: FormEvent) => {
    event.preventDefault();
    if (!newName.trim()) return;
    setFresh(newProfileDraft(newName, profiles, groups));
    setSelected(null);
    setNewName('');
  };

  return (
    <div className="profile-editor" data-testid="profile-editor">
      <div className="chips" role="group" aria-label="Profiles">
        {profiles.map((p) => (
          <button
            key={p.id}
            type="button"
            className="chip"
            aria-pressed={p.id === selected && !fresh}
            onClick={() => {
              setFresh(null);
              setSelected(p.id);
            }}
            data-testid="profile-pick"
            data-profile={p.id}
          >
            {p.name}
          </button>
        ))}
      </div>
      <form className="inline" onSubmit={startNew}>
        <label htmlFor={id} className="sr-only">
          New profile name
        </label>
        <input
          id={id}
          type="text"
          maxLength={64}
          placeholder="New profile, e.g. Work hours"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
          data-testid="profile-new-name"
        />
        <button type="submit" className="secondary" data-testid="profile-new">
          New profile
        </button>
      </form>
      {draft && (
        <ProfileForm
          key={`${draft.id}:${fresh ? 'new' : 'stored'}`}
          initial={draft}
          stored={fresh ? undefined : stored}
          onSaved={(profile) => {
            setFresh(null);
            setSelected(profile.id);
          }}
          onDeleted={() => setSelected(null)}
        />
      )}
    </div>
  );
}

interface ProfileFormProps {
  initial: ProfileDraft;
  stored?: Profile;
  onSaved: (profile: Profile) => void;
  onDeleted: () => void;
}

function ProfileForm({ initial, stored, onSaved, onDeleted }: ProfileFormProps) {
  const groups = useApp((s) => s.presence.groups);
  const saveProfile = useApp((s) => s.saveProfile);
  const deleteProfile = useApp((s) => s.deleteProfile);
  const error = useApp((s) => s.presenceErrors.profile);
  const busy = useApp((s) => Boolean(s.presenceBusy.profile));
  const [draft, setDraft] = useState(initial);
  const id = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const profile = profileFromDraft(draft, stored);
    if (await saveProfile(profile)) onSaved(profile);
  };
  const onDelete = async () => {
    if (stored && (await deleteProfile(stored.id))) onDeleted();
  };

  return (
    <form className="profile-form" onSubmit={(e) => void onSubmit(e)} data-testid="profile-form" data-profile={draft.id}>
      <label htmlFor={id}>Profile name</label>
      <input
        id={id}
        type="text"
        maxLength={64}
        value={draft.name}
        onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        data-testid="profile-name"
      />
      {groups.map((group) => (
        <ViewFields
          key={group.id}
          label={group.name}
          inherit
          view={draft.groups[group.id] ?? null}
          onChange={(view) => setDraft({ ...draft, groups: { ...draft.groups, [group.id]: view } })}
          testId={`profile-view-${group.id}`}
        />
      ))}
      <ViewFields
        label="Everyone else"
        view={draft.everyone}
        onChange={(view) => view && setDraft({ ...draft, everyone: view })}
        testId="profile-view-everyone"
      />
      <FormError error={error} testId="profile-error" />
      <div className="actions compact">
        <button type="submit" className="primary" disabled={busy} data-testid="profile-save">
          {stored ? 'Save profile' : 'Create profile'}
        </button>
        {stored && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void onDelete()} data-testid="profile-delete">
            Delete profile
          </button>
        )}
      </div>
    </form>
  );
}
