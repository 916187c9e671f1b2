import { z } from 'zod';
import { Reason } from './reason.js';

/**
 * Registration state machine (one per account):
 *
 *   direct ──(account with proxy)──> registering ──200──> registered ──refresh──> registered
 *                                       │   ▲                 │
 *                                  4xx/ │   │ back-off timer   │ flow lost / refresh failed
 *                                 dead  ▼   │                  ▼
 *                                     failed / retrying <──────┘
 *   registered ──(user/quit)──> unregistering ──> unregistered
 *
 * `direct`: no registrar, Parley is reached at its own listening address.
 * `failed`: a problem a person must fix (wrong password, unknown user); no automatic retry.
 * `retrying`: a problem that may pass (server dead, timeout); retried with back-off.
 */
export const RegistrationStateName = z.enum(['direct', 'unregistered', 'registering', 'registered', 'unregistering', 'failed', 'retrying']);
export type RegistrationStateName = z.infer<typeof RegistrationStateName>;

export const RegistrationState = z.object({
  state: RegistrationStateName,
  /** Seconds granted by the registrar. */
  expires: z.number().int().nonnegative().optional(),
  /** Epoch ms at which the binding runs out. */
  expiresAt: z.number().optional(),
  /** Epoch ms of the next automatic attempt (retrying). */
  retryAt: z.number().optional(),
  /** Why it failed or is retrying (shared/domain/reason.ts); worded where it is shown. */
  reason: Reason.optional(),
  /** SIP status code behind the reason, when there was one. */
  code: z.number().int().optional(),
  /** Our address as the registrar saw it (received/rport). */
  publicAddress: z.string().optional(),
  /** How many other devices are registered for the same address. */
  otherDevices: z.number().int().nonnegative().optional(),
  /** Our public GRUU (RFC 5627), when the registrar gave one: this device's own address. */
  gruu: z.string().optional(),
});
export type RegistrationState = z.infer<typeof RegistrationState>;
