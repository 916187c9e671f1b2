/**
 * A message's reason in its `reason` column: the reason as JSON (shared/domain/reason.ts). Reading
 * never costs the message: text that is no reason (a sentence from before reasons were data, which
 * the migration should have turned into 'legacy' already) is kept as a 'legacy' sentence, and a
 * reason of a code Parley does not know (a newer version's) is left out, the SIP code still there.
 */
import { Reason } from '../../shared/domain/reason.js';

export function reasonToColumn(reason: Reason | undefined): string | null {
  return reason === undefined ? null : JSON.stringify(reason);
}

export function reasonFromColumn(text: string | null): Reason | undefined {
  if (text === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { code: 'legacy', params: { text } };
  }
  const parsed = Reason.safeParse(json);
  if (parsed.success) return parsed.data;
  const named = typeof json === 'object' && json !== null && typeof (json as { code?: unknown }).code === 'string';
  return named ? undefined : { code: 'legacy', params: { text } };
}
