/**
 * Watcher authorisation as an XCAP pres-rules document (RFC 5025 over RFC 4745 common policy),
 * read and written: the decisions a user made (allow, block) and the roster's contacts, whom
 * Parley allows without asking (core/presence/notifier/authorization.ts).
 *
 * Layout: up to three rules, in this order (Kamailio's presence_xml applies the first rule whose
 * identity matches; RFC 4745 combines by the highest sub-handling, and the lists never overlap,
 * so both readings agree):
 *
 *   <cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy" xmlns="urn:ietf:params:xml:ns:pres-rules">
 *     <cr:rule id="parley-block">     <cr:conditions><cr:identity><cr:one id="sip:mallory@x"/>…
 *                                      <cr:actions><sub-handling>polite-block</sub-handling>…
 *     <cr:rule id="parley-allow">     … the watchers the user allowed: allow
 *     <cr:rule id="parley-contacts">  … the roster's contacts nobody blocked: allow
 *   </cr:ruleset>
 *
 * A block is a polite-block (RFC 5025 §3.2.1): the watcher's subscription is active and shows the
 * user offline, as it would if the user were, never "rejected". Everyone else matches no rule and
 * stays pending until the user answers. Each rule also provides every presence attribute
 * (provide-all-attributes), since presence_xml sends nothing of what a rule does not provide.
 *
 * Reading gives back our three rules: the decisions, and the contacts (derived from the contact
 * list, which has its own document, and written here only so that the server allows them). Reading goes through the safe XML
 * reader; anything that is not a ruleset throws XmlError. Rules of other clients are left out.
 */
import { normalizeAddress } from '../../../shared/domain/address.js';
import { escapeAttribute } from '../presence/xml-escape.js';
import { XmlError, attribute, childElements, firstChild, readXml, type XmlElement } from '../presence/xml-reader.js';
import { RESOURCE_LISTS_LIMITS } from './resource-lists.js';

export const COMMON_POLICY_NS = 'urn:ietf:params:xml:ns:common-policy';
export const PRES_RULES_NS = 'urn:ietf:params:xml:ns:pres-rules';
export const PRES_RULES_AUID = 'pres-rules';
export const PRES_RULES_CONTENT_TYPE = 'application/auth-policy+xml';

export type WatcherDecision = 'allow' | 'block';

/** What the document holds. */
export interface PresRules {
  /** The user's own decisions, by normalised watcher address. */
  decisions: Record<string, WatcherDecision>;
  /** The roster's addresses, allowed unless decided otherwise. */
  contacts: string[];
}

const RULES = { block: 'parley-block', allow: 'parley-allow', contacts: 'parley-contacts' } as const;

/** A contact the user decided about is in that decision's rule only (a blocked one stays blocked). */
export function encodePresRules({ decisions, contacts }: PresRules): string {
  const decided = Object.entries(decisions);
  const blocked = decided.filter(([, d]) => d === 'block').map(([aor]) => aor);
  const allowed = decided.filter(([, d]) => d === 'allow').map(([aor]) => aor);
  const viaRoster = [...new Set(contacts.map(normalizeAddress))].filter((aor) => !Object.hasOwn(decisions, aor));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<cr:ruleset xmlns:cr="${COMMON_POLICY_NS}" xmlns="${PRES_RULES_NS}">`,
    rule(RULES.block, blocked, 'polite-block'),
    rule(RULES.allow, allowed, 'allow'),
    rule(RULES.contacts, viaRoster, 'allow'),
    '</cr:ruleset>',
    '',
  ].join('\n');
}

function rule(id: string, aors: readonly string[], handling: string): string {
  // A rule with an empty identity would match nobody in RFC 4745 but everybody in some servers.
  if (aors.length === 0) return '';
  const ones = aors.map((aor) => `<cr:one id="${escapeAttribute(aor)}"/>`).join('');
  return (
    `<cr:rule id="${id}"><cr:conditions><cr:identity>${ones}</cr:identity></cr:conditions>` +
    `<cr:actions><sub-handling>${handling}</sub-handling></cr:actions>` +
    `<cr:transformations><provide-all-attributes/></cr:transformations></cr:rule>`
  );
}

/** A pres-rules document's rules that are ours (parley-*); other rules are left out. */
export function decodePresRules(xml: string): PresRules {
  const root = readXml(xml, RESOURCE_LISTS_LIMITS);
  if (root.ns !== COMMON_POLICY_NS || root.name !== 'ruleset') {
    throw new XmlError('unexpected-document', 'not a pres-rules document: the root is not <ruleset>');
  }
  const decisions: Record<string, WatcherDecision> = {};
  const contacts = new Set<string>();
  for (const el of childElements(root, COMMON_POLICY_NS, 'rule')) {
    const id = attribute(el, 'id');
    if (id === RULES.contacts) for (const aor of identities(el)) contacts.add(aor);
    const decision: WatcherDecision | undefined = id === RULES.block ? 'block' : id === RULES.allow ? 'allow' : undefined;
    if (!decision) continue;
    // the first rule naming a watcher decides, as in presence_xml (block comes first)
    for (const aor of identities(el)) if (!Object.hasOwn(decisions, aor)) decisions[aor] = decision;
  }
  return { decisions, contacts: [...contacts].sort() };
}

function identities(ruleEl: XmlElement): string[] {
  const conditions = firstChild(ruleEl, COMMON_POLICY_NS, 'conditions');
  const identity = conditions && firstChild(conditions, COMMON_POLICY_NS, 'identity');
  if (!identity) return [];
  return childElements(identity, COMMON_POLICY_NS, 'one').flatMap((one) => {
    const id = attribute(one, 'id')?.trim();
    return id && /^sips?:[^\s]+$/i.test(id) ? [normalizeAddress(id)] : [];
  });
}
