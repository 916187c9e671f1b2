import { describe, expect, it } from 'vitest';
import { PresenceView } from '../../../shared/domain/presence.js';
import { composePresence } from './compose.js';
import { decodePidf, type PidfDocument } from './pidf.js';
import { deviceTupleId, encodePidf, stableId } from './pidf-encode.js';
import { sample } from './testing/samples.js';
import { XmlError } from './xml-reader.js';

function composed(...names: string[]): PresenceView {
  return composePresence(names.map((n) => decodePidf(sample(n))));
}

describe('decodePidf: what real peers send', () => {
  it('baresip: CRLF template, empty RPID activities, one tuple with the AOR as contact', () => {
    const doc = decodePidf(sample('baresip-open.xml'));
    expect(doc.entity).toBe('sip:carol@example.net');
    expect(doc.tuples).toEqual([{ id: 't5310', basic: 'open', contact: 'sip:carol@example.net', notes: [], activities: [] }]);
    expect(doc.persons).toEqual([{ id: 'p2207', activities: [], mood: [], notes: [] }]);
    expect(composePresence([doc])).toEqual({ availability: 'online', activities: [] });
    expect(composed('baresip-closed.xml')).toEqual({ availability: 'offline', activities: [] });
  });

  it("baresip's non-standard basic value is dropped, not trusted: that document alone is offline", () => {
    const doc = decodePidf(sample('baresip-unknown.xml'));
    expect(doc.tuples[0]!.basic).toBeUndefined();
    expect(composePresence([doc]).availability).toBe('offline');
  });

  it('liblinphone away: contact priority and timestamps, rpid:away in dm:person, a dm:note with xml:lang', () => {
    const doc = decodePidf(sample('linphone-away.xml'));
    expect(doc.tuples[0]).toEqual({
      id: 'qz81ka',
      basic: 'open',
      contact: 'sip:dave@example.org',
      priority: 0.8,
      timestamp: Date.parse('2024-03-04T09:15:02Z'),
      notes: [],
      activities: [],
    });
    expect(doc.persons[0]).toEqual({
      id: 'm4a2tr',
      activities: ['away'],
      mood: [],
      notes: [{ text: 'Back in ten minutes', lang: 'en' }],
      timestamp: Date.parse('2024-03-04T09:15:02Z'),
    });
    expect(composePresence([doc])).toEqual({ availability: 'away', activities: ['away'], note: 'Back in ten minutes' });
  });

  it('liblinphone on the phone: entities and character references, an rpid:note that is not an activity, notes per language', () => {
    const doc = decodePidf(sample('linphone-on-the-phone.xml'));
    expect(doc.tuples[0]!.notes).toEqual([{ text: 'Dave & Co <sales>', lang: 'en' }]);
    expect(doc.persons[0]!.activities).toEqual(['on-the-phone']);
    expect(doc.persons[0]!.notes).toEqual([
      { text: 'Au téléphone', lang: 'fr' },
      { text: 'On the phone', lang: 'en' },
    ]);
    expect(composePresence([doc], { language: 'en' })).toEqual({
      availability: 'busy',
      activities: ['on-the-phone'],
      note: 'On the phone',
    });
    expect(composePresence([doc], { language: 'fr-CA' }).note).toBe('Au téléphone');
    // No preference and no untagged note: the first one.
    expect(composePresence([doc]).note).toBe('Au téléphone');
  });

  it('liblinphone offline: closed, and nothing else carried over', () => {
    expect(composed('linphone-offline.xml')).toEqual({ availability: 'offline', activities: [] });
  });

  it('Kamailio aggregation: two publications in one document compose to the busy person and its note', () => {
    const doc = decodePidf(sample('kamailio-aggregated.xml'));
    expect(doc.tuples.map((t) => [t.id, t.basic, t.priority])).toEqual([
      ['desk-7f3a', 'open', 0.5],
      ['mobile-19c2', 'open', 0.9],
    ]);
    expect(doc.persons.map((p) => [p.id, p.activities])).toEqual([
      ['desk-person', ['meeting']],
      ['mobile-person', []],
    ]);
    expect(doc.persons[0]!.timestamp).toBe(Date.parse('2024-05-06T09:00:00Z'));
    // The person's note has the document's highest priority (0.9) and beats the desk tuple's (0.5).
    expect(composePresence([doc])).toEqual({ availability: 'busy', activities: ['meeting'], note: 'In the weekly meeting' });
  });

  it('Kamailio dummy and offline bodies', () => {
    expect(composed('kamailio-dummy.xml')).toEqual({ availability: 'online', activities: [], note: 'Available' });
    expect(composed('kamailio-offline.xml')).toEqual({ availability: 'offline', activities: [] });
  });

  it('data model with prefixes everywhere: device, deviceID, idle user-input, mood, unknown activity and namespaces', () => {
    const doc = decodePidf(sample('data-model-devices.xml'));
    expect(doc.entity).toBe('pres:grace@example.org');
    expect(doc.tuples[0]).toMatchObject({
      id: 'sip-pc',
      basic: 'open',
      priority: 0.7,
      deviceId: 'urn:uuid:5f1d9b3a-0c4e-4a57-9d1e-2b7c8a6f0e11',
      timestamp: Date.parse('2024-07-01T10:00:00Z'),
    });
    expect(doc.persons[0]).toEqual({ id: 'grace', activities: ['tv'], mood: ['sleepy'], notes: [] });
    expect(doc.devices).toEqual([
      { id: 'pc', deviceId: 'urn:uuid:5f1d9b3a-0c4e-4a57-9d1e-2b7c8a6f0e11', userInput: 'idle', notes: [{ text: 'Office PC' }] },
    ]);
    // Idle device -> away; 'tv' is kept by name; the device's note describes the device, not the person.
    expect(composePresence([doc])).toEqual({ availability: 'away', activities: ['tv'] });
  });

  it('refuses a document that is XML but not PIDF, with the reader error class', () => {
    for (const xml of [
      '<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="0" state="full"/>',
      '<presence xmlns="urn:other"/>',
    ]) {
      expect(() => decodePidf(xml)).toThrow(XmlError);
      try {
        decodePidf(xml);
      } catch (err) {
        expect((err as XmlError).code).toBe('unexpected-document');
      }
    }
  });

  it('is lenient about content: no namespace, missing entity and ids, bad priorities and timestamps', () => {
    const doc = decodePidf(
      '<presence><tuple><status><basic> OPEN </basic></status><contact priority="2">sip:x@y</contact>' +
        '<timestamp>yesterday</timestamp><note>  </note></tuple><unknown><tuple id="nested"/></unknown></presence>',
    );
    expect(doc).toEqual({
      entity: '',
      tuples: [{ id: '', basic: 'open', contact: 'sip:x@y', notes: [], activities: [] }],
      persons: [],
      devices: [],
      notes: [],
    });
  });
});

describe('composePresence: the rule', () => {
  const doc = (
    tuples: Partial<PidfDocument['tuples'][number]>[],
    persons: Partial<PidfDocument['persons'][number]>[] = [],
    notes: PidfDocument['notes'] = [],
  ): PidfDocument => ({
    entity: 'sip:x@example.org',
    tuples: tuples.map((t, i) => ({ id: `t${i}`, notes: [], activities: [], ...t })),
    persons: persons.map((p) => ({ activities: [], mood: [], notes: [], ...p })),
    devices: [],
    notes,
  });

  it('no documents: offline', () => {
    expect(composePresence([])).toEqual({ availability: 'offline', activities: [] });
  });

  it('open beats closed across tuples and across dialogs; a closed dialog does not speak', () => {
    const closedBusy = doc([{ basic: 'closed' }], [{ activities: ['busy'], notes: [{ text: 'stale' }] }]);
    const open = doc([{ basic: 'open' }]);
    expect(composePresence([closedBusy, open])).toEqual({ availability: 'online', activities: [] });
    expect(composePresence([doc([{ basic: 'closed' }, { basic: 'open', notes: [{ text: 'here' }] }])])).toEqual({
      availability: 'online',
      activities: [],
      note: 'here',
    });
  });

  it('busy beats away, away beats online; idle user-input is away', () => {
    expect(composePresence([doc([{ basic: 'open' }], [{ activities: ['away', 'on-the-phone'] }])]).availability).toBe('busy');
    expect(
      composePresence([doc([{ basic: 'open' }], [{ activities: ['vacation'] }]), doc([{ basic: 'open' }], [{ activities: ['meeting'] }])]),
    ).toEqual({
      availability: 'busy',
      activities: ['vacation', 'meeting'],
    });
    expect(composePresence([doc([{ basic: 'open' }], [{ activities: ['working'], userInput: 'idle' }])]).availability).toBe('away');
    expect(composePresence([doc([{ basic: 'open' }], [{ activities: ['working', 'looking-for-work'] }])]).availability).toBe('online');
  });

  it('a person-only document (no basic anywhere) is judged by its activities', () => {
    expect(composePresence([doc([], [{ activities: ['meal'] }])])).toEqual({ availability: 'away', activities: ['meal'] });
    expect(composePresence([doc([], [])]).availability).toBe('offline');
  });

  it('note: highest priority, then newest timestamp, then person over tuple over presence, then the later document', () => {
    const a = doc([
      { basic: 'open', priority: 0.4, notes: [{ text: 'low' }] },
      { basic: 'open', priority: 0.9, notes: [{ text: 'high' }] },
    ]);
    expect(composePresence([a]).note).toBe('high');
    const b = doc([
      { basic: 'open', timestamp: 1000, notes: [{ text: 'old' }] },
      { basic: 'open', timestamp: 2000, notes: [{ text: 'new' }] },
    ]);
    expect(composePresence([b]).note).toBe('new');
    const c = doc([{ basic: 'open', notes: [{ text: 'tuple' }] }], [{ notes: [{ text: 'person' }] }], [{ text: 'presence' }]);
    expect(composePresence([c]).note).toBe('person');
    expect(
      composePresence([doc([{ basic: 'open', notes: [{ text: 'first' }] }]), doc([{ basic: 'open', notes: [{ text: 'second' }] }])]).note,
    ).toBe('second');
    // Across dialogs the higher-priority device wins even when older.
    const desk = doc([{ basic: 'open', priority: 0.2, timestamp: 9000 }], [{ notes: [{ text: 'desk' }] }]);
    const mobile = doc([{ basic: 'open', priority: 0.8, timestamp: 1000 }], [{ notes: [{ text: 'mobile' }] }]);
    expect(composePresence([mobile, desk]).note).toBe('mobile');
  });

  it('always yields a view the domain schema accepts, however large the input', () => {
    const activities = Array.from({ length: 40 }, (_, i) => `activity-${i}`).concat(['x'.repeat(200)]);
    const view = composePresence([doc([{ basic: 'open' }], [{ activities, notes: [{ text: `${'n'.repeat(1023)}😀tail` }] }])]);
    expect(view.activities).toHaveLength(16);
    expect(view.note).toHaveLength(1023); // the pair that would straddle the limit is left out whole
    expect(PresenceView.safeParse(view).success).toBe(true);
  });
});

describe('encodePidf', () => {
  const entity = 'sip:alice@example.com';

  it('writes what baresip and liblinphone recognise: default-namespace <basic>, <rpid:busy/> first', () => {
    const xml = encodePidf(
      entity,
      { availability: 'busy', activities: ['meeting'], note: 'Weekly sync' },
      { contact: 'sip:alice@192.0.2.1:5060', priority: 0.8 },
    );
    expect(xml).toMatch(/<basic>open<\/basic>/);
    expect(xml).toContain('<rpid:activities><rpid:busy/><rpid:meeting/></rpid:activities>');
    expect(xml).toContain('<contact priority="0.8">sip:alice@192.0.2.1:5060</contact>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf"')).toBe(true);
  });

  it('round trip: encode -> decode -> compose gives the view back (with its availability activity)', () => {
    const views: PresenceView[] = [
      { availability: 'online', activities: [] },
      { availability: 'online', activities: ['working'], note: 'Coding' },
      { availability: 'away', activities: [], note: 'Lunch <12:30> & back "soon"' },
      { availability: 'away', activities: ['vacation'] },
      { availability: 'busy', activities: ['on-the-phone', 'busy'], note: 'Ünïcødé 😀 and\r\nlines\ttabbed' },
      { availability: 'offline', activities: [] },
    ];
    for (const view of views) {
      const xml = encodePidf(entity, view, { contact: 'sip:alice@192.0.2.1', priority: 1, timestamp: Date.UTC(2024, 0, 2), lang: 'en' });
      const doc = decodePidf(xml);
      expect(doc.entity).toBe(entity);
      const expected: PresenceView = {
        availability: view.availability,
        activities:
          view.availability === 'offline'
            ? []
            : [...new Set([...(view.availability === 'online' ? [] : [view.availability]), ...view.activities])],
      };
      if (view.note !== undefined && view.availability !== 'offline') expected.note = view.note;
      expect(composePresence([doc])).toEqual(expected);
      if (view.availability !== 'offline')
        expect(doc.tuples[0]).toMatchObject({ contact: 'sip:alice@192.0.2.1', priority: 1, timestamp: Date.UTC(2024, 0, 2) });
    }
  });

  it('escapes what a user types, and characters XML cannot carry become U+FFFD instead of breaking the document', () => {
    const note = '</note><rpid:busy/>&amp; \u0007bell \ud800lone';
    const xml = encodePidf('sip:"odd"&<entity>@example.com', { availability: 'online', activities: ['<script>', 'fine'], note });
    const doc = decodePidf(xml);
    expect(doc.entity).toBe('sip:"odd"&<entity>@example.com');
    expect(doc.persons[0]!.notes[0]!.text).toBe('</note><rpid:busy/>&amp; \ufffdbell \ufffdlone');
    expect(doc.persons[0]!.activities).toEqual(['other', 'fine']);
    expect(doc.persons[0]!.otherActivity).toBe('<script>');
    expect(composePresence([doc]).availability).toBe('online');
  });

  it('the tuple id is stable per entity: the same across documents and states, different per entity', () => {
    const a = decodePidf(encodePidf(entity, { availability: 'online', activities: [] }));
    const b = decodePidf(encodePidf(entity, { availability: 'busy', activities: [], note: 'x' }, { timestamp: 5 }));
    const c = decodePidf(encodePidf(entity, { availability: 'offline', activities: [] }));
    expect(a.tuples[0]!.id).toBe(stableId('t', entity));
    expect(b.tuples[0]!.id).toBe(a.tuples[0]!.id);
    expect(c.tuples[0]!.id).toBe(a.tuples[0]!.id);
    expect(decodePidf(encodePidf('sip:bob@example.com', { availability: 'online', activities: [] })).tuples[0]!.id).not.toBe(
      a.tuples[0]!.id,
    );
    expect(decodePidf(encodePidf(entity, { availability: 'online', activities: [] }, { tupleId: 'mine' })).tuples[0]!.id).toBe('mine');
  });

  it('two devices of one account send different tuple ids, each its own on every document', () => {
    const laptop = deviceTupleId(entity, '3f2a9c01d4e7');
    const phone = deviceTupleId(entity, '8b11c0fe2a45');
    expect(laptop).not.toBe(phone);
    expect(deviceTupleId(entity, '3f2a9c01d4e7')).toBe(laptop);
    expect(laptop).toMatch(/^t[0-9a-z]+$/);
    // composed, the two devices' documents are two tuples: open on one is enough
    const docs = [
      decodePidf(encodePidf(entity, { availability: 'online', activities: [] }, { tupleId: laptop })),
      decodePidf(encodePidf(entity, { availability: 'offline', activities: [] }, { tupleId: phone })),
    ];
    expect(docs.map((d) => d.tuples[0]!.id)).toEqual([laptop, phone]);
    expect(composePresence(docs).availability).toBe('online');
  });

  it('a polite block is indistinguishable from really being offline, byte for byte', () => {
    // What a blocked watcher is sent: an offline view that the profile had filled in, with every
    // option the notifier passes for real watchers.
    const blocked = encodePidf(
      entity,
      { availability: 'offline', activities: ['meeting'], note: 'In the board meeting' },
      {
        contact: 'sip:alice@192.0.2.1:5060',
        priority: 1,
        timestamp: Date.now(),
        lang: 'en',
      },
    );
    // A client that is genuinely gone: the bare offline view.
    const genuine = encodePidf(entity, { availability: 'offline', activities: [] });
    expect(blocked).toBe(genuine);
    expect(blocked).not.toMatch(/192\.0\.2\.1|meeting|board|timestamp|contact|person/);
    // Apart from the entity (and the id derived from it), another AOR's offline document is the same too.
    const other = encodePidf('sip:bob@example.com', { availability: 'offline', activities: [] });
    const neutral = (xml: string, e: string): string => xml.replace(`entity="${e}"`, 'entity=""').replace(stableId('t', e), 'ID');
    expect(neutral(other, 'sip:bob@example.com')).toBe(neutral(genuine, entity));
  });
});
