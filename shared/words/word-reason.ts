/**
 * A reason (shared/domain/reason.ts) in words. The words come from a table keyed by code (en.ts);
 * a translation is another table of the same type. Used by the renderer, the CLI and the tray.
 */
import type { Reason, ReasonCode, ReasonParams } from '../domain/reason.js';
import { EN } from './en.js';

/** How an address reads in running text: the screen gives a contact's name, others the address. */
export type Names = (address: string) => string;

/** Words for every code: the compiler refuses a table that misses one. */
export type ReasonWords = { readonly [C in ReasonCode]: (params: ReasonParams<C>, name: Names) => string };

/** An address without its scheme ("bob@example.org"), where no contact names are at hand. */
export const plainAddress: Names = (address) => address.replace(/^sips?:/i, '');

export function wordReason(reason: Reason, name: Names = plainAddress, words: ReasonWords = EN): string {
  // The table's type ties each code to its params; indexing by a code of the union loses that tie.
  const word = words[reason.code] as (params: unknown, name: Names) => string;
  return word('params' in reason ? reason.params : {}, name);
}
