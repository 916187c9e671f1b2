/** The stored account and its sealed password. The password never leaves this file in plain text except to the SIP stack. */
import { AccountConfig, type AccountView } from '../../../shared/ipc.js';
import type { SecretBox } from '../../storage/file-secret-box.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';

const ACCOUNT_KEY = 'account';
const PASSWORD_KEY = 'account.password';

export class AccountStore {
  constructor(
    private readonly settings: SettingsRepo,
    private readonly box: SecretBox,
  ) {}

  load(): { account?: AccountConfig; password?: string } {
    const raw = this.settings.get<unknown>(ACCOUNT_KEY);
    const parsed = raw === undefined ? undefined : AccountConfig.safeParse(raw);
    if (!parsed?.success) return {};
    const sealed = this.settings.getSecret(PASSWORD_KEY);
    let password: string | undefined;
    try {
      password = sealed ? this.box.open(sealed.sealed) : undefined;
    } catch {
      // Sealed on another machine or with a lost key: ask again rather than fail.
      password = undefined;
    }
    return { account: parsed.data, password };
  }

  save(account: AccountConfig, password: string | undefined): void {
    this.settings.set(ACCOUNT_KEY, account);
    if (password !== undefined) this.settings.setSecret(PASSWORD_KEY, this.box.seal(password), this.box.strong);
  }

  remove(): void {
    this.settings.delete(ACCOUNT_KEY);
    this.settings.deleteSecret(PASSWORD_KEY);
  }
}

export function accountView(account: AccountConfig | undefined, password: string | undefined): AccountView | null {
  return account ? { ...account, hasPassword: password !== undefined && password !== '' } : null;
}
