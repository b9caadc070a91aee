// The site settings form's logic: the body sent is what the wire schema accepts (minutes to
// seconds, percents to fractions, blank contacts dropped), each wrong field is named, and only a
// coordinator of the site or an admin may change the site.
import { describe, expect, it } from 'vitest';
import type {
  Access,
  PublishedQuestionnaire,
  SiteSettings,
} from '../../../src/core/protocol/index.ts';
import { SiteSettingsSchema } from '../../../src/core/protocol/index.ts';
import type { SettingsDraft } from '../../../src/dashboard/site-settings.ts';
import {
  canManageSite,
  isTimeZone,
  moveEntry,
  newestVersions,
  questionnaireLanguages,
  settingsBody,
  settingsDraft,
  typedNumber,
  withDefault,
} from '../../../src/dashboard/site-settings.ts';

const SETTINGS: SiteSettings = {
  name: 'Cayenne',
  timeZone: 'America/Cayenne',
  helpline: '3114',
  protocolContacts: [
    { name: 'Dr Martin', role: 'psychologue référente', phone: '+594 594 00 00 00' },
    { name: 'CMP', role: '', phone: '0594 11 22 33' },
  ],
  shortInterviewSeconds: 1200,
  languages: ['fr', 'gcf'],
  sampleSize: 900,
  tolerance: 0.05,
  incomeBands: null,
};

const fields = (draft: SettingsDraft, offered?: readonly string[]) => {
  const result = settingsBody(draft, offered);
  return 'problems' in result ? result.problems.map((problem) => problem.field) : [];
};

describe('settingsDraft and settingsBody', () => {
  it('give back the same settings, which the wire schema accepts', () => {
    const draft = settingsDraft(SETTINGS);
    expect(draft.shortMinutes).toBe('20');
    expect(draft.tolerancePercent).toBe('5');
    const result = settingsBody(draft, ['fr', 'en', 'gcf']);
    expect(result).toEqual({ settings: SETTINGS });
    expect(SiteSettingsSchema.safeParse(SETTINGS).success).toBe(true);
  });

  it('reads minutes and percents as typed in French, trims, and drops empty contact rows', () => {
    const draft: SettingsDraft = {
      ...settingsDraft(SETTINGS),
      name: '  Cayenne centre ',
      shortMinutes: '12,5',
      tolerancePercent: '7,5',
      sampleSize: ' 1 200 ',
      contacts: [
        { name: '', role: '', phone: '' },
        { name: ' Dr Martin ', role: '', phone: ' 3114 ' },
      ],
    };
    expect(settingsBody(draft, undefined)).toEqual({
      settings: {
        ...SETTINGS,
        name: 'Cayenne centre',
        shortInterviewSeconds: 750,
        tolerance: 0.075,
        sampleSize: 1200,
        protocolContacts: [{ name: 'Dr Martin', role: '', phone: '3114' }],
      },
    });
  });

  it('names every field it cannot send', () => {
    const draft: SettingsDraft = {
      name: ' ',
      timeZone: 'Mars/Olympus',
      helpline: 'call 3114',
      contacts: [{ name: '', role: 'médecin', phone: 'x' }],
      shortMinutes: '-1',
      languages: [],
      sampleSize: '12.5',
      tolerancePercent: '60',
      incomeBounds: '1 200 ; 840',
      incomeCurrency: 'euro',
      incomeItem: '1st',
    };
    expect(fields(draft)).toEqual([
      'name',
      'timeZone',
      'helpline',
      'contactName',
      'contactPhone',
      'shortMinutes',
      'languages',
      'sampleSize',
      'tolerancePercent',
      'incomeBounds',
      'incomeCurrency',
      'incomeItem',
    ]);
    const result = settingsBody(draft, undefined);
    expect('problems' in result && result.problems[3]).toEqual({
      field: 'contactName',
      index: 0,
      problem: 'empty',
    });
  });

  it('sends the income bands typed, grouped digits and all, and none when no bound is typed', () => {
    const typed = { ...settingsDraft(SETTINGS), incomeBounds: '840 ; 1 200;1,500\n 2000 ; ' };
    expect(settingsBody(typed, undefined)).toEqual({
      settings: {
        ...SETTINGS,
        incomeBands: { item: 'sd_income', currency: 'EUR', upperBounds: [840, 1200, 1500, 2000] },
      },
    });
    const back = settingsDraft({
      ...SETTINGS,
      incomeBands: { item: 'sd_income', currency: 'GYD', upperBounds: [840, 1200] },
    });
    expect(back).toMatchObject({ incomeBounds: '840 ; 1200', incomeCurrency: 'GYD' });
    expect(fields({ ...typed, incomeBounds: '840 ; 12,5' })).toEqual(['incomeBounds']);
    expect(fields({ ...typed, incomeBounds: '1;2;3;4;5;6;7' })).toEqual(['incomeBounds']);
  });

  it('refuses a language no published questionnaire has, once they are known', () => {
    const draft = { ...settingsDraft(SETTINGS), languages: ['fr', 'de'] };
    expect(fields(draft, ['fr', 'en'])).toEqual(['languages']);
    expect(fields(draft, undefined)).toEqual([]);
  });
});

describe('small helpers', () => {
  it('typedNumber reads decimal commas and refuses words', () => {
    expect(typedNumber('0,5')).toBe(0.5);
    expect(typedNumber('10 000')).toBe(10000);
    expect(typedNumber('5 %')).toBeUndefined();
    expect(typedNumber('')).toBeUndefined();
  });

  it('isTimeZone knows IANA zones only', () => {
    expect(isTimeZone('Indian/Mayotte')).toBe(true);
    expect(isTimeZone('Pacific/Noumea')).toBe(true);
    expect(isTimeZone('Paris')).toBe(false);
    expect(isTimeZone(' Europe/Paris')).toBe(false);
  });

  it('moveEntry moves one entry and leaves the ends alone', () => {
    expect(moveEntry(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveEntry(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });

  it('withDefault puts the default language first', () => {
    expect(withDefault(['fr', 'en', 'gcf'], 'gcf')).toEqual(['gcf', 'fr', 'en']);
    expect(withDefault(['fr'], 'en')).toEqual(['fr']);
  });

  it('questionnaireLanguages reads definitions and label packs, each language once', () => {
    const published = (definition: unknown, packs: unknown[]): PublishedQuestionnaire => ({
      questionnaireId: 'demo',
      version: '1',
      definition,
      labelPacks: packs.map((pack) => ({ source: 'x.json', pack })),
      publishedAt: '2026-01-01T00:00:00Z',
    });
    expect(
      questionnaireLanguages([
        published({ languages: ['fr', 'en'] }, [{ language: 'es' }]),
        published({ languages: ['en', 'gcf'] }, [{ nothing: true }]),
        published(null, []),
      ]),
    ).toEqual(['fr', 'en', 'es', 'gcf']);
  });

  it('newestVersions keeps the newest version of each questionnaire, SMPG first', () => {
    const at = '2026-01-01T00:00:00Z';
    expect(
      newestVersions([
        { questionnaireId: 'demo', version: '1', publishedAt: at },
        { questionnaireId: 'smpg', version: '2026.9', publishedAt: at },
        { questionnaireId: 'smpg', version: '2026.10', publishedAt: at },
        { questionnaireId: 'demo', version: '2', publishedAt: at },
      ]).map((entry) => `${entry.questionnaireId}/${entry.version}`),
    ).toEqual(['smpg/2026.10', 'demo/2']);
  });
});

describe('canManageSite', () => {
  const access = (admin: boolean, grants: Access['grants']): Access => ({ admin, grants });

  it('lets an admin and the site’s coordinators change it', () => {
    expect(canManageSite(access(true, []), 'cayenne')).toBe(true);
    expect(
      canManageSite(access(false, [{ site: 'cayenne', role: 'coordinator' }]), 'cayenne'),
    ).toBe(true);
  });

  it('leaves analysts, and coordinators of other sites, reading only', () => {
    expect(canManageSite(access(false, [{ site: 'cayenne', role: 'analyst' }]), 'cayenne')).toBe(
      false,
    );
    expect(canManageSite(access(false, [{ site: '*', role: 'analyst' }]), 'cayenne')).toBe(false);
    expect(canManageSite(access(false, [{ site: 'lille', role: 'coordinator' }]), 'cayenne')).toBe(
      false,
    );
    expect(
      canManageSite(
        access(false, [
          { site: 'lille', role: 'coordinator' },
          { site: 'cayenne', role: 'analyst' },
        ]),
        'cayenne',
      ),
    ).toBe(false);
  });
});
