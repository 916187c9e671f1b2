import { describe, expect, it } from 'vitest';
import { XmlError } from '../presence/xml-reader.js';
import { decodePresenceSettings, encodePresenceSettings } from './profiles-document.js';

const settings = {
  profiles: [{ id: 'work', name: 'Work <&>', views: { '*': { availability: 'busy' as const, activities: [] } } }],
  schedule: { timeZone: 'Europe/Berlin', rules: [], defaultProfileId: 'work' },
};

describe('presence settings document', () => {
  it('round-trips profiles and schedule, escaped', () => {
    const xml = encodePresenceSettings(settings);
    expect(xml).not.toContain('<&>');
    expect(decodePresenceSettings(xml)).toEqual(settings);
  });

  it('refuses another document, bad JSON, settings the schemas refuse, and a DTD', () => {
    const ns = 'urn:parley:params:xml:ns:presence-settings';
    expect(() => decodePresenceSettings('<x xmlns="urn:other"/>')).toThrow(XmlError);
    expect(() =>
      decodePresenceSettings(`<parley-presence-settings xmlns="${ns}"><profiles>[</profiles></parley-presence-settings>`),
    ).toThrow(XmlError);
    const badZone = encodePresenceSettings({ ...settings, schedule: { ...settings.schedule, timeZone: 'Mars/Olympus' } });
    expect(() => decodePresenceSettings(badZone)).toThrow(XmlError);
    expect(() => decodePresenceSettings('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toThrow(XmlError);
  });
});
