/**
 * The one gate every host passes a command through: look the name up in the contract, validate
 * the payload, call the core, validate nothing escapes as an exception. Results are values.
 */
import { commands, isCommandName, type CommandName, type Outcome } from '../../shared/ipc.js';
import { UserError, type Core } from '../core/core.js';

export async function dispatch(core: Core, name: unknown, payload: unknown): Promise<Outcome<unknown>> {
  if (!isCommandName(name)) {
    return { ok: false, error: { code: 'unknown-command', message: `unknown command: ${String(name).slice(0, 64)}` } };
  }
  const parsed = commands[name].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
    return { ok: false, error: { code: 'invalid-request', message: `${name}: ${detail}` } };
  }
  try {
    const handler = core.commands[name] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: { code: error.code, message: error.message } };
    return {
      ok: false,
      error: { code: 'internal', message: `${name} failed: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}

export type { CommandName };
