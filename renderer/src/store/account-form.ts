/** The account form's values and their translation into the contract's AccountConfig. Pure. */
import { AccountConfig, type AccountView, type PresenceMode, type RegistrationState, type TransportKind } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { registrationReason } from './format.js';

export interface AccountFormValues {
  aor: string;
  displayName: string;
  password: string;
  authUser: string;
  proxy: string;
  transport: TransportKind;
  /** Over TLS: certificates (PEM) to trust for a server with a self-signed or private certificate. */
  tlsTrust?: string;
  /** Who serves our presence to watchers; only with a server (without one, Parley is always direct). */
  presenceMode?: PresenceMode;
  /** The server's XCAP root, where the contact list is kept (empty: on this device only). */
  xcapRoot?: string;
  /** The MSRP relay chat sessions go through (empty: sessions connect directly). */
  msrpRelay?: string;
}

export type AccountField = keyof AccountFormValues;
export type FieldErrors = Partial<Record<AccountField, string>>;

export function formFromAccount(account: AccountView | null): AccountFormValues {
  return {
    aor: account?.aor ?? '',
    displayName: account?.displayName ?? '',
    password: '',
    authUser: account?.authUser ?? '',
    proxy: account?.proxy ?? '',
    transport: account?.transport ?? 'udp',
    tlsTrust: account?.tlsTrust ?? '',
    presenceMode: account?.presenceMode ?? 'auto',
    xcapRoot: account?.xcapRoot ?? '',
    msrpRelay: account?.msrpRelay ?? '',
  };
}

/** Whether the account talks TLS to its server: the TLS transport, or a sips: server or address. */
export function usesTls(values: Pick<AccountFormValues, 'transport' | 'proxy' | 'aor'>): boolean {
  return values.transport === 'tls' || /^\s*sips:/i.test(values.proxy) || /^\s*sips:/i.test(values.aor);
}

function withScheme(text: string): string {
  return /^sips?:/i.test(text) ? text : `sip:${text}`;
}

export type BuiltAccount = { ok: true; account: AccountConfig; password: string | undefined } | { ok: false; fieldErrors: FieldErrors };

/**
 * Trim, drop empty optional fields, add a missing `sip:` and validate with the contract's schema.
 * Settings the form does not show (listen address, registration interval) are kept from `existing`.
 * An empty password means "keep the stored one".
 */
export function buildAccount(values: AccountFormValues, existing: AccountView | null): BuiltAccount {
  const aor = values.aor.trim();
  const proxy = values.proxy.trim();
  const candidate: Record<string, unknown> = {
    aor: aor ? withScheme(aor) : '',
    transport: values.transport,
  };
  if (values.displayName.trim()) candidate.displayName = values.displayName.trim();
  if (values.authUser.trim()) candidate.authUser = values.authUser.trim();
  if (proxy) candidate.proxy = withScheme(proxy);
  if (existing?.listen) candidate.listen = existing.listen;
  if (existing?.registerExpires) candidate.registerExpires = existing.registerExpires;
  // Trust only matters over TLS; a hidden field is not kept.
  const tlsTrust = values.tlsTrust?.trim() ?? '';
  if (tlsTrust && usesTls(values)) candidate.tlsTrust = tlsTrust;
  // The mode is about a server; without one Parley is its own presence agent and the setting would only mislead.
  if (proxy && values.presenceMode && values.presenceMode !== 'auto') candidate.presenceMode = values.presenceMode;
  const xcapRoot = values.xcapRoot?.trim() ?? '';
  if (xcapRoot) candidate.xcapRoot = xcapRoot;
  const msrpRelay = values.msrpRelay?.trim() ?? '';
  if (msrpRelay) candidate.msrpRelay = msrpRelay;

  const fieldErrors: FieldErrors = {};
  if (!aor) fieldErrors.aor = 'Enter your SIP address, for example sip:alice@example.org';
  if (values.password.length > 256) fieldErrors.password = 'The password is too long';
  const parsed = AccountConfig.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && (field in values || field === 'tlsTrust') && !fieldErrors[field as AccountField]) {
        fieldErrors[field as AccountField] = field === 'proxy' ? 'must be a sip: URI, for example sip:sip.example.org:5060' : issue.message;
      }
    }
  }
  if (Object.keys(fieldErrors).length > 0 || !parsed.success) {
    if (Object.keys(fieldErrors).length === 0) fieldErrors.aor = 'Check the account settings';
    return { ok: false, fieldErrors };
  }
  return { ok: true, account: parsed.data, password: values.password === '' ? undefined : values.password };
}

/**
 * Where a failed registration belongs in the form: a refused password at the password field, an
 * unknown user at the address, a server that cannot be reached at the server field. Null for a
 * state that is not a failure.
 */
export function registrationFieldError(registration: RegistrationState): { field: AccountField; message: string } | null {
  if (registration.state !== 'failed' && registration.state !== 'retrying') return null;
  const message = wordReason(registrationReason(registration));
  switch (registration.code) {
    case 401:
    case 407:
      return { field: 'password', message };
    case 403:
    case 404:
    case 484:
      return { field: 'aor', message };
    default:
      return { field: 'proxy', message };
  }
}
