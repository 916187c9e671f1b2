import { Avatar } from './Avatar.js';
import { usePeerName } from './usePeerName.js';

/** Someone as a person: avatar, their name, and the address as secondary text (both ellipsized, whole in the title). */
export function PersonLabel({ address, nameTestId }: { address: string; nameTestId?: string }) {
  const name = usePeerName(address);
  return (
    <div className="person">
      <Avatar name={name} address={address} size="sm" />
      <span className="person-text">
        <strong className="person-name" title={name} data-testid={nameTestId}>
          {name}
        </strong>
        <span className="person-address" title={address}>
          {address}
        </span>
      </span>
    </div>
  );
}
