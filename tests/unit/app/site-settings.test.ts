// What the tablet makes of a site's settings: kept or not from the server's answers, the alert's
// helpline and contacts (and their fallbacks), the interview languages offered, and the days
// counted in the site's time zone.
import { describe, expect, it } from 'vitest';
import {
  NATIONAL_HELPLINE,
  alertContacts,
  dayIn,
  offeredLanguages,
  siteName,
  siteTimeZone,
  startingLanguage,
  telHref,
  withSiteSettings,
} from '../../../src/app/site-settings.ts';
import type { DeviceSettings } from '../../../src/app/storage/index.ts';
import type { SiteSettings } from '../../../src/core/protocol/index.ts';

const CAYENNE: SiteSettings = {
  name: 'Cayenne',
  timeZone: 'America/Cayenne',
  helpline: '0594 00 00 00',
  protocolContacts: [
    { name: 'Dr Lebon', role: 'psychiatre, CMP', phone: '0594 11 22 33' },
    { name: 'Mme Joseph', role: '', phone: '+594 594 44 55 66' },
  ],
  shortInterviewSeconds: 1200,
  languages: ['gcf', 'fr'],
  sampleSize: 900,
  tolerance: 0.05,
};

const ENROLLED: DeviceSettings = {
  deviceId: 'device-1',
  site: 'cayenne',
  interviewer: 'ENQ-07',
  uiLanguage: 'fr',
  practiceMode: false,
  serverUrl: 'https://collecte.example.org',
  deviceToken: 'dev_abc',
};

describe('withSiteSettings', () => {
  it('keeps the settings the server sent, in place of those the tablet had', () => {
    const first = withSiteSettings(ENROLLED, CAYENNE);
    expect(first).toEqual({ ...ENROLLED, siteSettings: CAYENNE });
    const changed = { ...CAYENNE, helpline: '3114', protocolContacts: [] };
    expect(withSiteSettings(first, changed).siteSettings).toEqual(changed);
  });

  it('keeps what the tablet has when an older server sends none', () => {
    const kept = withSiteSettings(ENROLLED, CAYENNE);
    expect(withSiteSettings(kept, undefined)).toBe(kept);
    const typed = { ...ENROLLED, typedHelpline: '15' };
    expect(withSiteSettings(typed, undefined)).toEqual(typed);
  });

  it('drops the helpline typed before sites had settings once they arrive', () => {
    const next = withSiteSettings({ ...ENROLLED, typedHelpline: '0 800 000 000' }, CAYENNE);
    expect(next).not.toHaveProperty('typedHelpline');
    expect(alertContacts(next).helpline).toBe('0594 00 00 00');
  });
});

describe('alertContacts', () => {
  it('gives the site’s helpline and its contacts in the order given', () => {
    expect(alertContacts({ ...ENROLLED, siteSettings: CAYENNE })).toEqual({
      helpline: '0594 00 00 00',
      contacts: CAYENNE.protocolContacts,
    });
  });

  it('gives the number typed on an enrolled tablet until the site’s settings come', () => {
    expect(alertContacts({ ...ENROLLED, typedHelpline: ' 15 ' })).toEqual({
      helpline: '15',
      contacts: [],
    });
  });

  it('gives 3114 and no contacts without a server, and before the tablet is set up', () => {
    const { serverUrl, deviceToken, ...withoutServer } = ENROLLED;
    expect([serverUrl, deviceToken]).toHaveLength(2);
    expect(alertContacts(withoutServer)).toEqual({ helpline: '3114', contacts: [] });
    expect(alertContacts(undefined)).toEqual({ helpline: NATIONAL_HELPLINE, contacts: [] });
    expect(alertContacts({ ...withoutServer, typedHelpline: '' }).helpline).toBe('3114');
  });
});

describe('offeredLanguages and startingLanguage', () => {
  const questionnaire = ['fr', 'en', 'gcf'];

  it('offers the site’s languages the questionnaire has, in the site’s order', () => {
    expect(offeredLanguages(questionnaire, ['gcf', 'fr'])).toEqual(['gcf', 'fr']);
    expect(offeredLanguages(questionnaire, ['pt', 'en'])).toEqual(['en']);
    expect(
      startingLanguage({ languages: questionnaire, defaultLanguage: 'fr' }, ['gcf', 'fr']),
    ).toBe('gcf');
    // The site's first language is not in this questionnaire: its next one that is.
    expect(
      startingLanguage({ languages: questionnaire, defaultLanguage: 'fr' }, ['pt', 'en']),
    ).toBe('en');
  });

  it('offers every language of the questionnaire without site settings, as before', () => {
    expect(offeredLanguages(questionnaire, undefined)).toEqual(questionnaire);
    expect(startingLanguage({ languages: questionnaire, defaultLanguage: 'en' }, undefined)).toBe(
      'en',
    );
    expect(startingLanguage({}, undefined)).toBe('fr');
  });

  it('falls back on every language when the site names none the questionnaire has', () => {
    expect(offeredLanguages(questionnaire, ['pt'])).toEqual(questionnaire);
    expect(startingLanguage({ languages: questionnaire, defaultLanguage: 'fr' }, ['pt'])).toBe(
      'fr',
    );
  });

  it('keeps offering the language an interview is in, even if the site dropped it', () => {
    expect(offeredLanguages(questionnaire, ['fr'], 'en')).toEqual(['fr', 'en']);
    expect(offeredLanguages(questionnaire, ['fr'], 'fr')).toEqual(['fr']);
  });
});

describe('days in the site’s time zone', () => {
  it('counts the day where the site is, not in UTC', () => {
    // 01:30 UTC is still the evening before in Cayenne (UTC-3), already the day in Paris.
    expect(dayIn('2026-03-02T01:30:00.000Z', 'America/Cayenne')).toBe('2026-03-01');
    expect(dayIn('2026-03-02T01:30:00.000Z', 'Europe/Paris')).toBe('2026-03-02');
    expect(dayIn('2026-03-01T23:30:00.000Z', 'Europe/Paris')).toBe('2026-03-02');
    expect(dayIn(new Date('2026-03-01T23:30:00.000Z'), 'Indian/Reunion')).toBe('2026-03-02');
    expect(dayIn('2026-07-01T12:00:00.000Z', 'Indian/Mayotte')).toBe('2026-07-01');
  });

  it('takes the site’s zone when the browser knows it, else the tablet’s own', () => {
    expect(siteTimeZone({ ...ENROLLED, siteSettings: CAYENNE })).toBe('America/Cayenne');
    expect(siteTimeZone(ENROLLED)).toBeUndefined();
    expect(
      siteTimeZone({ ...ENROLLED, siteSettings: { ...CAYENNE, timeZone: 'Mars/Olympus_Mons' } }),
    ).toBeUndefined();
    expect(dayIn('not a time', undefined)).toBe('');
    expect(dayIn('2026-03-02T12:00:00.000Z', undefined)).toMatch(/^2026-03-0[123]$/);
  });
});

describe('the site as the tablet shows it', () => {
  it('names the site by its name once its settings came, by its id before', () => {
    expect(siteName({ ...ENROLLED, siteSettings: CAYENNE })).toBe('Cayenne');
    expect(siteName(ENROLLED)).toBe('cayenne');
  });

  it('dials a number as written', () => {
    expect(telHref('0594 11 22 33')).toBe('tel:0594112233');
    expect(telHref('+594 (594) 44.55-66')).toBe('tel:+594594445566');
    expect(telHref('3114')).toBe('tel:3114');
  });
});
