/**
 * The account's devices (issue 13): this device's name, which the others list it as, and every
 * device the registrar has told of (shared/contract/devices.ts), online or when last seen. Shown
 * in the account view for an account with a server; device names are text, never markup.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Device } from '../../../shared/ipc.js';
import { formatWhen } from '../../../shared/words/presence.js';
import { useApp } from '../store/context.js';
import { FormError } from './FormError.js';
import { useNow } from './useNow.js';

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function DevicesList() {
  const devices = useApp((s) => s.devices);
  const hasServer = useApp((s) => Boolean(s.account?.proxy));
  const registered = useApp((s) => s.registration.state === 'registered');
  const setDeviceName = useApp((s) => s.setDeviceName);
  const error = useApp((s) => s.deviceNameError);
  const [name, setName] = useState(devices?.name ?? '');
  const [busy, setBusy] = useState(false);
  const now = useNow(true, 60_000);
  const base = useId();
  useEffect(() => setName(devices?.name ?? ''), [devices?.name]);
  if (!devices || !hasServer) return null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await setDeviceName(name.trim());
    setBusy(false);
  };
  const changed = name.trim() !== '' && name.trim() !== devices.name;
  return (
    <section className="card devices-list" aria-labelledby={`${base}-title`} data-testid="devices-list">
      <h2 id={`${base}-title`}>Your devices</h2>
      <p className="lead">Every device signed in to this account receives your messages. Each one shows up here with its name.</p>
      <form className="row device-name" onSubmit={(e) => void onSubmit(e)}>
        <label htmlFor={`${base}-name`}>This device&apos;s name</label>
        <input
          id={`${base}-name`}
          value={name}
          maxLength={64}
          onChange={(e) => setName(e.target.value)}
          spellCheck={false}
          data-testid="device-name"
        />
        <button type="submit" className="secondary" disabled={busy || !changed} data-testid="device-name-save">
          Rename
        </button>
      </form>
      <FormError error={error} testId="device-name-error" />
      {devices.devices.length === 0 ? (
        <p className="muted empty">
          {registered ? 'Waiting for the server to list your devices…' : 'Your devices are listed once you are signed in.'}
        </p>
      ) : (
        <ul className="rows">
          {devices.devices.map((device) => (
            <DeviceRow key={device.id} device={device} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DeviceRow({ device, now }: { device: Device; now: number }) {
  const online = device.state === 'online';
  return (
    <li className="row device" data-testid="device" data-state={device.state} data-self={device.self}>
      <span className={`presence-dot presence-${online ? 'online' : 'offline'}`} aria-hidden="true" />
      <span className="device-name-text">
        {device.name ?? <span className="muted">Unnamed device</span>}
        {device.self && <span className="device-self"> (this device)</span>}
      </span>
      <span className="muted" data-testid="device-state">
        {online ? 'Online' : `Last seen ${formatWhen(device.lastSeen, now, LOCAL_ZONE)}`}
      </span>
    </li>
  );
}
