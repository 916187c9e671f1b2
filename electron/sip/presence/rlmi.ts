/**
 * Resource list meta-information (RFC 4662 §5.2, application/rlmi+xml): which resources a list
 * subscription covers, the state of each one's back-end subscription (its instances) and which
 * body part carries its document (cid); and the state a subscriber keeps across full and partial
 * NOTIFYs.
 *
 * Versions (RFC 4662 §5.2): each RLMI document of a subscription carries a version one higher than
 * the one before. A full-state document replaces everything whatever its version (a new
 * subscription starts over). A partial one applies on top of the version right before it; an older
 * or equal version is a duplicate (ignored), a gap means something was lost ('gap': the caller
 * refreshes to be sent the full state). In a partial document a listed resource is replaced as a
 * whole; resources it does not list keep what they had.
 */
import { RLMI_NS } from './namespaces.js';
import { parseCount } from './watcherinfo.js';
import { XmlError, attribute, childElements, readXml, type XmlLimits } from './xml-reader.js';

export const RLMI_CONTENT_TYPE = 'application/rlmi+xml';

/** A list of thousands of resources, each with an instance or two. */
export const RLMI_LIMITS: Readonly<Partial<XmlLimits>> = Object.freeze({ maxBytes: 4 * 1024 * 1024, maxElements: 100_000 });

export type InstanceState = 'active' | 'pending' | 'terminated';

export interface RlmiInstance {
  id: string;
  state: InstanceState;
  /** Content-ID of the part holding this instance's document, when this NOTIFY carries one. */
  cid?: string;
  reason?: string;
}

export interface RlmiResource {
  uri: string;
  instances: RlmiInstance[];
}

export interface RlmiDocument {
  uri: string;
  version: number;
  fullState: boolean;
  resources: RlmiResource[];
}

export function decodeRlmi(xml: string): RlmiDocument {
  const root = readXml(xml, RLMI_LIMITS);
  if (root.ns !== RLMI_NS || root.name !== 'list')
    throw new XmlError('unexpected-document', 'not an RLMI document: the root is not <list>');
  const version = parseCount(attribute(root, 'version'));
  if (version === undefined) throw new XmlError('unexpected-document', 'RLMI document without a valid version');
  const full = attribute(root, 'fullState')?.trim();
  const resources: RlmiResource[] = [];
  for (const el of childElements(root, RLMI_NS, 'resource')) {
    const uri = attribute(el, 'uri')?.trim();
    if (!uri) continue;
    const instances: RlmiInstance[] = [];
    for (const inst of childElements(el, RLMI_NS, 'instance')) {
      const id = attribute(inst, 'id')?.trim();
      const state = attribute(inst, 'state')?.trim();
      if (!id || (state !== 'active' && state !== 'pending' && state !== 'terminated')) continue;
      const cid = attribute(inst, 'cid')?.trim();
      const reason = attribute(inst, 'reason')?.trim();
      instances.push({ id, state, ...(cid ? { cid } : {}), ...(reason ? { reason } : {}) });
    }
    resources.push({ uri, instances });
  }
  return { uri: attribute(root, 'uri')?.trim() ?? '', version, fullState: full === 'true' || full === '1', resources };
}

/** What a list subscriber knows: the version last applied and each resource's instances, by URI. */
export interface RlmiState {
  version: number;
  resources: Map<string, RlmiInstance[]>;
}

export type RlmiApplyResult =
  { kind: 'applied'; state: RlmiState; changed: RlmiResource[]; removed: string[] } | { kind: 'duplicate' } | { kind: 'gap' };

export function applyRlmi(previous: RlmiState | undefined, doc: RlmiDocument): RlmiApplyResult {
  if (!doc.fullState) {
    if (!previous) return { kind: 'gap' };
    if (doc.version <= previous.version) return { kind: 'duplicate' };
    if (doc.version !== previous.version + 1) return { kind: 'gap' };
  }
  const resources = doc.fullState ? new Map<string, RlmiInstance[]>() : new Map(previous!.resources);
  for (const resource of doc.resources) resources.set(resource.uri, resource.instances);
  const removed = doc.fullState && previous ? [...previous.resources.keys()].filter((uri) => !resources.has(uri)) : [];
  return { kind: 'applied', state: { version: doc.version, resources }, changed: doc.resources, removed };
}
