// Counted words agree with their number in the interface's language (French: 0 and 1 singular, a
// decimal comma; English: only 1 singular), and the home screen's counted texts read right.
import { describe, expect, it } from 'vitest';
import { HOME_TEXT } from '../../../src/app/home-text.ts';
import { countText, formatNumber, pluralOf } from '../../../src/app/components/plurals.ts';

const FR = HOME_TEXT.fr;
const EN = HOME_TEXT.en;

describe('counted words', () => {
  it('agree with their number in French and in English', () => {
    expect(countText(FR.completedTotalCount, 1, 'fr')).toBe('1 entretien complet au total');
    expect(countText(FR.completedTotalCount, 2, 'fr')).toBe('2 entretiens complets au total');
    expect(countText(FR.completedTodayCount, 0, 'fr')).toBe('0 entretien complet aujourd’hui');
    expect(countText(EN.completedTodayCount, 0, 'en')).toBe('0 completed interviews today');
    expect(countText(EN.completedTodayCount, 1, 'en')).toBe('1 completed interview today');
    expect(countText(FR.syncRefusedCount, 1, 'fr')).toMatch(/^1 entretien refusé .* il reste /);
    expect(countText(FR.syncRefusedCount, 3, 'fr')).toMatch(
      /^3 entretiens refusés .* ils restent /,
    );
    expect(countText(FR.warningIdle, 4, 'fr')).toBe(
      'L’application n’avait pas été ouverte depuis 4 jours.',
    );
    expect(countText(EN.warningUnsent, 1, 'en', { button: 'Sync now' })).toMatch(
      /^1 interview has been waiting .*“Sync now”/,
    );
    expect(countText(FR.planOfSite, 900, 'fr', { site: 'Lille' })).toBe(
      'Plan de quotas du site Lille : 900 entretiens prévus.',
    );
  });

  it('agree on the tablet’s export screen', () => {
    expect(countText(FR.exportCompleted, 1, 'fr')).toBe('1 entretien complet');
    expect(countText(FR.exportScreenedOut, 2, 'fr')).toBe('2 exclus ou refusés');
    expect(countText(FR.exportDone, 1, 'fr', { file: 'a.csv' })).toBe('a.csv : 1 entretien.');
    expect(countText(FR.exportProgress, 1, 'fr', { done: 0 })).toBe(
      'Préparation du fichier : 0 / 1 entretien',
    );
    expect(countText(FR.exportSkipped, 1, 'fr', { reasons: 'x' })).toBe(
      '1 entretien n’a pas pu être exporté : x',
    );
    expect(countText(EN.exportDone, 1200, 'en', { file: 'a.csv' })).toBe(
      'a.csv: 1,200 interviews.',
    );
  });

  it('write numbers as the language does, and take the plural past French’s "many"', () => {
    expect(formatNumber(1234.5, 'fr')).toBe('1\u202f234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(countText(FR.completedTotalCount, 12_345, 'fr')).toBe(
      '12\u202f345 entretiens complets au total',
    );
    // French CLDR has "many" for a million and more: still the plural form.
    expect(pluralOf(FR.completedTotalCount, 1_000_000, 'fr')).toBe(FR.completedTotalCount.other);
  });

  it('gives every plural text the same placeholders in each form and language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map(String).sort();
    for (const [key, value] of Object.entries(FR)) {
      if (typeof value !== 'object' || !('one' in value)) continue;
      const english = EN[key as keyof typeof EN] as { one: string; other: string };
      const expected = placeholders(value.other);
      expect(expected, key).toContain(key.startsWith('storageSpace') ? '{size}' : '{count}');
      for (const form of [value.one, english.one, english.other])
        expect(placeholders(form), key).toEqual(expected);
    }
  });
});
