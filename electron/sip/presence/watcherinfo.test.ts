import { describe, expect, it } from 'vitest';
import { sample } from './testing/samples.js';
import { applyWatcherInfo, awaitingDecision, decodeWatcherInfo, type WatcherInfoState, type WinfoApplyResult } from './watcherinfo.js';
import { XmlError } from './xml-reader.js';

function applied(result: WinfoApplyResult): WatcherInfoState {
  if (result.kind !== 'applied') throw new Error(`expected the document to apply, got ${result.kind}`);
  return result.state;
}

const uris = (state: WatcherInfoState): string[] => state.lists.flatMap((l) => l.watchers.map((w) => `${w.uri}:${w.status}`));

describe('decodeWatcherInfo', () => {
  it("reads Kamailio's compact full document", () => {
    expect(decodeWatcherInfo(sample('kamailio-winfo-full.xml'))).toEqual({
      version: 0,
      state: 'full',
      lists: [
        {
          resource: 'sip:alice@example.com',
          package: 'presence',
          watchers: [
            { id: 'a8f3c1', uri: 'sip:bob@example.com', status: 'active', event: 'subscribe' },
            { id: '77d0e2', uri: 'sip:mallory@example.net', status: 'pending', event: 'subscribe' },
          ],
        },
      ],
    });
  });

  it('reads every optional attribute, several lists, and skips watchers it cannot use', () => {
    const doc = decodeWatcherInfo(sample('winfo-detailed.xml'));
    expect(doc.version).toBe(7);
    expect(doc.lists.map((l) => l.package)).toEqual(['presence', 'dialog']);
    expect(doc.lists[0]!.watchers).toEqual([
      { id: 's1', uri: 'sip:bob@example.com', status: 'active', event: 'approved', durationSubscribed: 509, expiration: 3091 },
      { id: 's2', uri: 'sip:peggy@example.org', status: 'waiting', event: 'timeout', displayName: 'Peggy "P" Sue', lang: 'en' },
      // An unknown event is dropped; an unknown status ('sleeping') or an empty URI drops the watcher.
      { id: 's3', uri: 'sip:victor@example.org', status: 'pending' },
    ]);
  });

  it('refuses other documents and a missing version with the reader error class', () => {
    const cases: [string, string][] = [
      ['<presence xmlns="urn:ietf:params:xml:ns:pidf"/>', 'unexpected-document'],
      ['<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" state="full"/>', 'unexpected-document'],
      ['<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="-1" state="full"/>', 'unexpected-document'],
      ['<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="99999999999" state="full"/>', 'unexpected-document'],
      ['<!DOCTYPE watcherinfo><watcherinfo/>', 'doctype'],
    ];
    for (const [xml, code] of cases) {
      let caught: unknown;
      try {
        decodeWatcherInfo(xml);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(XmlError);
      expect((caught as XmlError).code).toBe(code);
    }
  });
});

describe('applyWatcherInfo: full and partial state with versions', () => {
  const full = decodeWatcherInfo(sample('kamailio-winfo-full.xml'));
  const partial1 = decodeWatcherInfo(sample('kamailio-winfo-partial-1.xml'));
  const partial2 = decodeWatcherInfo(sample('kamailio-winfo-partial-2.xml'));

  it('applies full then consecutive partials: adds, updates by id, and drops the terminated', () => {
    let state = applied(applyWatcherInfo(undefined, full));
    expect(uris(state)).toEqual(['sip:bob@example.com:active', 'sip:mallory@example.net:pending']);
    expect(awaitingDecision(state).map((w) => w.uri)).toEqual(['sip:mallory@example.net']);

    state = applied(applyWatcherInfo(state, partial1));
    expect(state.version).toBe(1);
    expect(uris(state)).toEqual(['sip:bob@example.com:active', 'sip:mallory@example.net:pending', 'sip:trent@example.org:pending']);

    const r2 = applyWatcherInfo(state, partial2);
    expect(r2.kind === 'applied' && r2.changed.map((w) => `${w.uri}:${w.status}`)).toEqual([
      'sip:mallory@example.net:terminated',
      'sip:trent@example.org:active',
    ]);
    state = applied(r2);
    expect(uris(state)).toEqual(['sip:bob@example.com:active', 'sip:trent@example.org:active']);
    expect(awaitingDecision(state)).toEqual([]);
  });

  it('does not modify the previous state', () => {
    const state = applied(applyWatcherInfo(undefined, full));
    const before = JSON.stringify(state);
    applyWatcherInfo(applied(applyWatcherInfo(state, partial1)), partial2);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('ignores a duplicate or older partial', () => {
    const state = applied(applyWatcherInfo(applied(applyWatcherInfo(undefined, full)), partial1));
    const again = applyWatcherInfo(state, partial1);
    expect(again).toEqual({ kind: 'stale', state });
  });

  it('detects a version gap (and a partial before any full state) so the caller re-subscribes', () => {
    const state = applied(applyWatcherInfo(undefined, full));
    expect(applyWatcherInfo(state, partial2)).toEqual({ kind: 'gap', state, expected: 1, got: 2 });
    expect(applyWatcherInfo(undefined, partial1)).toEqual({ kind: 'gap', state: undefined, expected: undefined, got: 1 });
  });

  it('a full document replaces everything whatever its version (a new subscription restarts the count)', () => {
    const later = applied(applyWatcherInfo(applied(applyWatcherInfo(undefined, full)), partial1));
    const restarted = applied(
      applyWatcherInfo(later, { ...full, lists: [{ ...full.lists[0]!, watchers: [full.lists[0]!.watchers[0]!] }] }),
    );
    expect(restarted.version).toBe(0);
    expect(uris(restarted)).toEqual(['sip:bob@example.com:active']);
  });

  it('keeps lists apart by resource and package; waiting watchers also await a decision', () => {
    const state = applied(applyWatcherInfo(undefined, decodeWatcherInfo(sample('winfo-detailed.xml'))));
    expect(awaitingDecision(state).map((w) => `${w.id}:${w.status}`)).toEqual(['s2:waiting', 's3:pending']);
    expect(awaitingDecision(state, 'dialog')).toEqual([]);
    const next = applied(
      applyWatcherInfo(state, {
        version: 8,
        state: 'partial',
        lists: [
          {
            resource: 'sip:alice@example.com',
            package: 'dialog',
            watchers: [{ id: 's3', uri: 'sip:victor@example.org', status: 'terminated' }],
          },
        ],
      }),
    );
    // 's3' in the dialog list is not 's3' in the presence list.
    expect(awaitingDecision(next).map((w) => w.id)).toEqual(['s2', 's3']);
  });
});
