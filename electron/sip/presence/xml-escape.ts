/**
 * Escaping for the documents Parley writes. Whatever a user typed (a note, an activity) must come
 * out as text our own reader and every peer read back unchanged: markup characters become
 * references, and characters XML cannot carry at all become U+FFFD instead of making the whole
 * document unreadable.
 */
import { NOT_XML_CHAR } from './xml-reader.js';

const NOT_XML_CHAR_ALL = new RegExp(NOT_XML_CHAR.source, 'gu');

const TEXT_REFS: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTRIBUTE_REFS: Readonly<Record<string, string>> = {
  ...TEXT_REFS,
  '"': '&quot;',
  "'": '&apos;',
  // Literal TAB/LF/CR in an attribute would be read back as spaces.
  '\t': '&#9;',
  '\n': '&#10;',
};

function replaceInvalid(s: string): string {
  return NOT_XML_CHAR.test(s) ? s.replace(NOT_XML_CHAR_ALL, '\uFFFD') : s;
}

/** Element content. CR is a reference so that it survives line-end normalisation. */
export function escapeText(s: string): string {
  return replaceInvalid(s).replace(/[&<>\r]/g, (c) => TEXT_REFS[c]!);
}

/** A double- or single-quoted attribute value. */
export function escapeAttribute(s: string): string {
  return replaceInvalid(s).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_REFS[c]!);
}
