import { RelayProblem } from './RelayProblem.js';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { TransportKind } from '../../../shared/ipc.js';
import { MAX_TLS_TRUST_CHARS } from '../../../shared/ipc.js';
import { PresenceModeField } from './PresenceModeField.js';
import { formFromAccount, usesTls, type AccountField, type AccountFormValues } from '../store/account-form.js';
import { useApp } from '../store/context.js';
import { FormError } from './FormError.js';

const TRANSPORTS: { value: TransportKind; label: string }[] = [
  { value: 'udp', label: 'UDP' },
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS' },
];

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}

function Field({ id, label, hint, error, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(describedBy, Boolean(error))}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

interface TextOptions {
  hint?: ReactNode;
  type?: 'text' | 'password';
  inputMode?: 'email' | 'text' | 'url';
  autoComplete?: string;
  spellCheck?: boolean;
  required?: boolean;
  testId: string;
}

/** Account setup: AOR, password, optional auth user, optional proxy (empty = direct mode), transport. */
export function AccountForm() {
  const account = useApp((s) => s.account);
  const busy = useApp((s) => s.accountBusy);
  const error = useApp((s) => s.accountError);
  const fieldErrors = useApp((s) => s.fieldErrors);
  const saveAccount = useApp((s) => s.saveAccount);
  const openPanel = useApp((s) => s.openPanel);
  const [values, setValues] = useState<AccountFormValues>(() => formFromAccount(account));
  const base = useId();
  const id = (field: AccountField) => `${base}-${field}`;

  const update = (field: AccountField) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void saveAccount(values);
  };

  /** One labelled text input bound to a form field, with its hint and error wired for screen readers. */
  const text = (field: AccountField, label: string, options: TextOptions) => (
    <Field id={id(field)} label={label} error={fieldErrors[field]} hint={options.hint}>
      {(describedBy, invalid) => (
        <input
          id={id(field)}
          name={field}
          type={options.type ?? 'text'}
          inputMode={options.inputMode}
          autoComplete={options.autoComplete ?? 'off'}
          spellCheck={options.spellCheck ?? false}
          required={options.required}
          value={values[field] ?? ''}
          onChange={update(field)}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          data-testid={options.testId}
        />
      )}
    </Field>
  );

  const direct = values.proxy.trim() === '';
  const tls = usesTls(values);

  return (
    <form className="card account-form" onSubmit={onSubmit} aria-labelledby={`${base}-title`} data-testid="account-form" noValidate>
      <h2 id={`${base}-title`}>{account ? 'Account settings' : 'Set up your SIP account'}</h2>
      <p className="lead">
        Parley signs in to your SIP server to send and receive messages. Without a server it works directly, peer to peer.
      </p>

      {text('aor', 'SIP address', {
        hint: 'For example sip:alice@example.org',
        inputMode: 'email',
        autoComplete: 'username',
        required: true,
        testId: 'account-aor',
      })}
      {text('displayName', 'Display name (optional)', { autoComplete: 'name', spellCheck: true, testId: 'account-display-name' })}
      {text('password', 'Password', {
        type: 'password',
        autoComplete: 'current-password',
        hint: account?.hasPassword ? 'Leave empty to keep the saved password.' : undefined,
        testId: 'account-password',
      })}
      {text('authUser', 'Authentication user (optional)', {
        hint: 'Only when the server expects a login name other than the user part of your address.',
        testId: 'account-auth-user',
      })}

      <div className="field-row">
        {text('proxy', 'Proxy / registrar (optional)', {
          hint: 'For example sip:sip.example.org:5060. Leave empty for direct mode: others reach you at the address Parley listens on.',
          testId: 'account-proxy',
        })}

        <Field id={id('transport')} label="Transport" error={fieldErrors.transport}>
          {(describedBy, invalid) => (
            <select
              id={id('transport')}
              name="transport"
              value={values.transport}
              onChange={update('transport')}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              data-testid="account-transport"
            >
              {TRANSPORTS.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {text('xcapRoot', 'Contact list on the server (optional)', {
        hint: "The server's XCAP root, for example https://sip.example.org/xcap-root: your contacts and groups are kept there, for your other devices.",
        inputMode: 'url',
        testId: 'account-xcap-root',
      })}
      {text('msrpRelay', 'MSRP relay for chat sessions and files (optional)', {
        hint: 'For example msrps://sip.example.org:2856: chat sessions and files go through it, signed in with this account, so they work behind NAT.',
        inputMode: 'url',
        testId: 'account-msrp-relay',
      })}
      <RelayProblem />

      {!direct && (
        <PresenceModeField value={values.presenceMode ?? 'auto'} onChange={(presenceMode) => setValues((v) => ({ ...v, presenceMode }))} />
      )}

      {tls && (
        <Field
          id={id('tlsTrust')}
          label="Trusted certificate (PEM, optional)"
          error={fieldErrors.tlsTrust}
          hint={
            <>
              Parley always checks the server's certificate and its name, and refuses a certificate it cannot verify. Only if your server
              uses a self-signed certificate or one from a private authority, paste that certificate (or the authority's) here, from{' '}
              <code>-----BEGIN CERTIFICATE-----</code> to <code>-----END CERTIFICATE-----</code>. Get it from your server's administrator
              and compare its fingerprint: whoever holds its key can read your messages.
            </>
          }
        >
          {(describedBy, invalid) => (
            <textarea
              id={id('tlsTrust')}
              name="tlsTrust"
              rows={6}
              spellCheck={false}
              autoComplete="off"
              maxLength={MAX_TLS_TRUST_CHARS}
              placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
              value={values.tlsTrust ?? ''}
              onChange={update('tlsTrust')}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className="mono"
              data-testid="account-tls-trust"
            />
          )}
        </Field>
      )}

      <FormError error={error} testId="account-error" />

      <div className="actions">
        {account && (
          <button type="button" className="secondary" onClick={() => openPanel(null)} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="account-submit">
          {busy ? 'Saving…' : direct ? 'Save (direct mode)' : 'Save and register'}
        </button>
      </div>
    </form>
  );
}
