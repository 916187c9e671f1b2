/**
 * Watcher authorisation as an XCAP pres-rules document (RFC 5025 over RFC 4745 common policy),
 * read and written: the decisions a user made (allow, block), the roster's contacts, whom Parley
 * allows without asking (core/presence/notifier/authorization.ts), and, when per-group views go
 * through the server, which view class each allowed watcher is given
 * (docs/DESIGN.md#views-per-group-through-the-server).
 *
 * Layout, in this order (Kamailio's presence_xml applies the first rule whose identity matches;
 * RFC 4745 combines by the highest sub-handling and unites the transformations, and no address is
 * in two rules, so both readings agree):
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
 * stays pending until the user answers. Without views each rule provides every presence attribute
 * (provide-all-attributes), since presence_xml sends nothing of what a rule does not provide.
 *
 * With views, the allow and contacts rules are split by class (`parley-allow.<class>`,
 * `parley-contacts.<class>`), each providing only the tuples and persons of its class and of the
 * shared class (`<provide-services><class>…</class><class>shared</class></provide-services>`, the
 * same in provide-persons); and one more rule, `parley-self`, gives the user's own address only the
 * view key as a class, which no tuple carries: a fetch of one's own presence then shows whether
 * the server filters (core/presence/publisher/class-filter-check.ts), and the key travels to the
 * account's other devices.
 *
 * Reading gives back our rules: the decisions, the contacts (derived from the contact list, which
 * has its own document, and written here only so that the server allows them) and the views.
 * Reading goes through the safe XML reader; anything that is not a ruleset throws XmlError. Rules
 * of other clients are left out.
 */
import { normalizeAddress } from '../../../shared/domain/address.js';
import { escapeAttribute, escapeText } from '../presence/xml-escape.js';
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
  /** Per-group views through the server; absent: every allowed watcher is provided everything. */
  views?: PresRulesViews;
}

export interface PresRulesViews {
  /** The account's view key (core/presence/view-classes.ts), the class of `self`'s rule. */
  key: string;
  /** The user's own address (normalised). */
  self: string;
  /** The class every allowed watcher is provided besides its own. */
  shared: string;
  /** Each allowed watcher's own class, by normalised address. */
  classes: Record<string, string>;
}

const RULES = { block: 'parley-block', allow: 'parley-allow', contacts: 'parley-contacts', self: 'parley-self' } as const;

/** A contact the user decided about is in that decision's rule only (a blocked one stays blocked). */
export function encodePresRules({ decisions, contacts, views }: PresRules): string {
  const decided = Object.entries(decisions);
  const blocked = decided.filter(([, d]) => d === 'block').map(([aor]) => aor);
  const allowed = decided.filter(([, d]) => d === 'allow').map(([aor]) => aor);
  const viaRoster = [...new Set(contacts.map(normalizeAddress))].filter((aor) => !Object.hasOwn(decisions, aor));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<cr:ruleset xmlns:cr="${COMMON_POLICY_NS}" xmlns="${PRES_RULES_NS}">`,
    rule(RULES.block, blocked, 'polite-block', ALL),
    ...(views ? classRules(RULES.allow, allowed, views) : [rule(RULES.allow, allowed, 'allow', ALL)]),
    ...(views ? classRules(RULES.contacts, viaRoster, views) : [rule(RULES.contacts, viaRoster, 'allow', ALL)]),
    views ? rule(RULES.self, [views.self], 'allow', provide([views.key])) : '',
    '</cr:ruleset>',
    '',
  ].join('\n');
}

const ALL = '<provide-all-attributes/>';

/** Tuples and persons of these classes only (presence_xml drops every other one, and any without a class). */
function provide(classes: readonly string[]): string {
  const list = classes.map((cls) => `<class>${escapeText(cls)}</class>`).join('');
  return `<provide-services>${list}</provide-services><provide-persons>${list}</provide-persons>`;
}

/** One rule per class among `aors`, each providing its class and the shared one. */
function classRules(id: string, aors: readonly string[], views: PresRulesViews): string[] {
  const byClass = new Map<string, string[]>();
  for (const aor of aors) {
    const cls = views.classes[aor] ?? views.shared;
    byClass.set(cls, [...(byClass.get(cls) ?? []), aor]);
  }
  return [...byClass].map(([cls, members]) =>
    rule(`${id}.${cls}`, members, 'allow', provide(cls === views.shared ? [cls] : [cls, views.shared])),
  );
}

function rule(id: string, aors: readonly string[], handling: string, transformations: string): string {
  // A rule with an empty identity would match nobody in RFC 4745 but everybody in some servers.
  if (aors.length === 0) return '';
  const ones = aors.map((aor) => `<cr:one id="${escapeAttribute(aor)}"/>`).join('');
  return (
    `<cr:rule id="${escapeAttribute(id)}"><cr:conditions><cr:identity>${ones}</cr:identity></cr:conditions>` +
    `<cr:actions><sub-handling>${handling}</sub-handling></cr:actions>` +
    `<cr:transformations>${transformations}</cr:transformations></cr:rule>`
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
  const classes: Record<string, string> = {};
  let self: { key: string; self: string } | undefined;
  let shared: string | undefined;
  for (const el of childElements(root, COMMON_POLICY_NS, 'rule')) {
    const id = attribute(el, 'id') ?? '';
    const [kind] = id.split('.', 1);
    const provided = providedClasses(el);
    if (id === RULES.self) {
      const [key] = provided;
      const [aor] = identities(el);
      if (key && aor) self = { key, self: aor };
      continue;
    }
    if (kind !== RULES.block && kind !== RULES.allow && kind !== RULES.contacts) continue;
    if (kind !== RULES.block && provided.length > 0) {
      for (const aor of identities(el)) if (!Object.hasOwn(classes, aor)) classes[aor] = provided[0]!;
      shared ??= provided.at(-1);
    }
    if (kind === RULES.contacts) for (const aor of identities(el)) contacts.add(aor);
    const decision: WatcherDecision | undefined = kind === RULES.block ? 'block' : kind === RULES.allow ? 'allow' : undefined;
    if (!decision) continue;
    // the first rule naming a watcher decides, as in presence_xml (block comes first)
    for (const aor of identities(el)) if (!Object.hasOwn(decisions, aor)) decisions[aor] = decision;
  }
  const rules: PresRules = { decisions, contacts: [...contacts].sort() };
  if (self) rules.views = { ...self, shared: shared ?? self.key, classes };
  return rules;
}

/** The classes a rule's provide-services names (ours write the same in provide-persons). */
function providedClasses(ruleEl: XmlElement): string[] {
  const transformations = firstChild(ruleEl, COMMON_POLICY_NS, 'transformations');
  const services = transformations && firstChild(transformations, PRES_RULES_NS, 'provide-services');
  return services ? childElements(services, PRES_RULES_NS, 'class').flatMap((el) => (el.text.trim() ? [el.text.trim()] : [])) : [];
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
