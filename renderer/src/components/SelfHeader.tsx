import { useApp } from '../store/context.js';
import { peerName } from '../store/format.js';
import { AppMenu } from './AppMenu.js';
import { Avatar } from './Avatar.js';
import { MuteToggle } from './MuteToggle.js';
import { RegistrationBadge } from './RegistrationBadge.js';
import { StatusMenu } from './StatusMenu.js';

/** The top of the left column: who I am, my status (one click to change it), the connection, the sound switch, the menu. */
export function SelfHeader({ onNewChat }: { onNewChat(): void }) {
  const account = useApp((s) => s.account);
  if (!account) return null;
  const name = account.displayName?.trim() || peerName(account.aor);
  return (
    <header className="self-header" aria-label="You">
      <div className="self-row">
        <Avatar name={name} address={account.aor} size="lg" />
        <div className="self-text">
          <strong className="self-name" data-testid="account-aor-display" title={account.aor}>
            {name}
          </strong>
          <RegistrationBadge />
        </div>
        <MuteToggle />
        <AppMenu onNewChat={onNewChat} />
      </div>
      <StatusMenu />
    </header>
  );
}
