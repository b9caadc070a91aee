// A site's settings as tablets receive them, and the time zones the server accepts for them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS, SiteSettingsSchema } from '../../../src/core/protocol/wave.ts';
import { checkTimeZone, isTimeZone, settingsOf } from '../../../src/server/site-settings.ts';
import type { Site } from '../../../src/server/store/types.ts';

const SITE: Site = {
  ...DEFAULT_SITE_SETTINGS,
  id: 'cayenne',
  name: 'Cayenne',
  plan: null,
  // The first release kept the threshold as a REAL: whole seconds on the wire.
  shortInterviewSeconds: 420.5,
  pickupPoints: ['Place des Palmistes'],
  createdAt: '2026-01-01T00:00:00.000Z',
  closedAt: null,
};

describe('site settings', () => {
  it('gives the settings the wire schema accepts, and nothing else of the site', () => {
    const settings = settingsOf(SITE);
    expect(SiteSettingsSchema.safeParse(settings).success).toBe(true);
    expect(settings).toEqual({
      ...DEFAULT_SITE_SETTINGS,
      name: 'Cayenne',
      shortInterviewSeconds: 421,
    });
  });

  it('knows IANA time zones and refuses others with a message naming them', () => {
    for (const zone of [
      'Europe/Paris',
      'America/Cayenne',
      'Indian/Mayotte',
      'Indian/Reunion',
      'UTC',
    ])
      expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['Europe/Lile', 'Mars/Olympus', 'Paris', ''])
      expect(isTimeZone(zone), zone).toBe(false);
    expect(() => checkTimeZone('Europe/Lile')).toThrow(/Europe\/Lile/);
  });
});
