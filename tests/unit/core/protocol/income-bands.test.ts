// A site's income bands: the labels tablets, dashboard and export write from the amounts (French
// and English, one to six bounds), the amounts of each band, and the bounds refused.
import { describe, expect, it } from 'vitest';
import type { IncomeBands } from '../../../../src/core/protocol/index.ts';
import {
  IncomeBandsSchema,
  SiteSettingsSchema,
  incomeBandAmounts,
  incomeBandChoices,
  incomeBandLabels,
  isIncomeBands,
  withIncomeBands,
} from '../../../../src/core/protocol/index.ts';

// Intl's spaces: a narrow no-break space groups thousands in French, a no-break space precedes €.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

const CAYENNE: IncomeBands = {
  item: 'sd_income',
  currency: 'EUR',
  upperBounds: [840, 1200, 1500, 2000, 3000, 4500],
};

describe('incomeBandLabels', () => {
  it('writes six bounds as seven French bands, the symbol once at the end of a range', () => {
    expect(incomeBandLabels(CAYENNE, 'fr')).toEqual([
      `Moins de 840${NBSP}€`,
      `De 840 à 1${NNBSP}199${NBSP}€`,
      `De 1${NNBSP}200 à 1${NNBSP}499${NBSP}€`,
      `De 1${NNBSP}500 à 1${NNBSP}999${NBSP}€`,
      `De 2${NNBSP}000 à 2${NNBSP}999${NBSP}€`,
      `De 3${NNBSP}000 à 4${NNBSP}499${NBSP}€`,
      `4${NNBSP}500${NBSP}€ ou plus`,
    ]);
  });

  it('writes them in English with the symbol before each amount', () => {
    expect(incomeBandLabels(CAYENNE, 'en').slice(0, 2)).toEqual([
      'Less than €840',
      '€840 to €1,199',
    ]);
    expect(incomeBandLabels(CAYENNE, 'en').at(-1)).toBe('€4,500 or more');
  });

  it('makes two bands of one bound', () => {
    const one = { ...CAYENNE, upperBounds: [2000] };
    expect(incomeBandLabels(one, 'en')).toEqual(['Less than €2,000', '€2,000 or more']);
    expect(incomeBandLabels(one, 'fr')).toEqual([
      `Moins de 2${NNBSP}000${NBSP}€`,
      `2${NNBSP}000${NBSP}€ ou plus`,
    ]);
  });

  it('refuses bounds out of order, repeated, not whole, not positive, none or more than six', () => {
    for (const upperBounds of [
      [1200, 840],
      [840, 840],
      [840.5],
      [0, 840],
      [],
      [1, 2, 3, 4, 5, 6, 7],
    ]) {
      expect(() => incomeBandLabels({ ...CAYENNE, upperBounds }, 'fr')).toThrow(RangeError);
      const bands = { ...CAYENNE, upperBounds };
      expect(IncomeBandsSchema.safeParse(bands).success, JSON.stringify(upperBounds)).toBe(false);
      expect(isIncomeBands(bands)).toBe(false);
    }
    expect(IncomeBandsSchema.safeParse({ ...CAYENNE, currency: 'euro' }).success).toBe(false);
    expect(isIncomeBands({ ...CAYENNE, extra: 1 })).toBe(false);
    expect(isIncomeBands(CAYENNE)).toBe(true);
  });
});

describe('the bands as choices and amounts', () => {
  it('gives codes 1 to the count and each band’s amounts', () => {
    const choices = incomeBandChoices({ ...CAYENNE, upperBounds: [840, 1200] }, 'en');
    expect(choices.map((choice) => choice.code)).toEqual(['1', '2', '3']);
    expect(choices[1]?.label).toEqual({ en: '€840 to €1,199' });
    expect(incomeBandAmounts(CAYENNE, '1')).toEqual({ lower: 0, upper: 839 });
    expect(incomeBandAmounts(CAYENNE, '2')).toEqual({ lower: 840, upper: 1199 });
    expect(incomeBandAmounts(CAYENNE, '7')).toEqual({ lower: 4500, upper: undefined });
    expect(incomeBandAmounts({ ...CAYENNE, upperBounds: [840] }, '3')).toBeUndefined();
  });

  it('replaces the choices of the bands’ item only, and only where its codes are there', () => {
    const choices = ['1', '2', '3'].map((code) => ({ code, label: { fr: code } }));
    const income = { item: { id: 'sd_income', type: 'single' as const }, choices };
    const other = { item: { id: 'sd_work', type: 'single' as const }, choices };
    const two = { ...CAYENNE, upperBounds: [840, 1200] };
    expect(withIncomeBands(income, two, 'fr').choices?.map((c) => c.label['fr'])).toEqual([
      `Moins de 840${NBSP}€`,
      `De 840 à 1${NNBSP}199${NBSP}€`,
      `1${NNBSP}200${NBSP}€ ou plus`,
    ]);
    expect(withIncomeBands(other, two, 'fr')).toBe(other);
    expect(withIncomeBands(income, CAYENNE, 'fr')).toBe(income);
    expect(withIncomeBands(income, undefined, 'fr')).toBe(income);
  });

  it('are optional in the site settings: null or absent is the questionnaire’s own', () => {
    const settings = {
      name: 'Cayenne',
      timeZone: 'America/Cayenne',
      helpline: '3114',
      protocolContacts: [],
      shortInterviewSeconds: 1200,
      languages: ['fr'],
      sampleSize: 900,
      tolerance: 0.05,
    };
    expect(SiteSettingsSchema.safeParse(settings).success).toBe(true);
    expect(SiteSettingsSchema.safeParse({ ...settings, incomeBands: null }).success).toBe(true);
    expect(SiteSettingsSchema.safeParse({ ...settings, incomeBands: CAYENNE }).success).toBe(true);
    const bad = { ...settings, incomeBands: { ...CAYENNE, upperBounds: [1200, 840] } };
    expect(SiteSettingsSchema.safeParse(bad).success).toBe(false);
  });
});
