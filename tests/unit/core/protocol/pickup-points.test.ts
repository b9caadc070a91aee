// Pick-up points on the wire: the list a coordinator sends is cleaned and bounded, duplicates are
// found whatever their case and spaces, free text is cut safely, and a tablet reading the quota
// state of a server that sends no list gets an empty one.
import { describe, expect, it } from 'vitest';
import {
  PickupPointsRequestSchema,
  QuotaStateSchema,
  duplicatePickupPoint,
  normalisePickupPoint,
  pickupPointKey,
} from '../../../../src/core/protocol/index.ts';

describe('pick-up points', () => {
  it('cleans a list: trimmed, runs of spaces made one, order kept', () => {
    const parsed = PickupPointsRequestSchema.safeParse({
      pickupPoints: ['  Marché de\u00a0 Wazemmes ', 'Gare Lille-Flandres'],
    });
    expect(parsed.success && parsed.data.pickupPoints).toEqual([
      'Marché de Wazemmes',
      'Gare Lille-Flandres',
    ]);
  });

  it.each([
    ['an empty label', ['Gare', ' ']],
    ['a label of 101 characters', ['x'.repeat(101)]],
    ['51 labels', Array.from({ length: 51 }, (_, i) => `Lieu ${i}`)],
    ['the same place twice', ['Gare Lille-Flandres', 'gare  LILLE-flandres']],
    ['a number', ['Gare', 3]],
  ])('refuses %s', (_name, pickupPoints) => {
    expect(PickupPointsRequestSchema.safeParse({ pickupPoints }).success).toBe(false);
  });

  it('accepts 50 labels of 100 characters, and none', () => {
    const longest = Array.from({ length: 50 }, (_, i) => `${i} `.padEnd(100, 'é'));
    expect(PickupPointsRequestSchema.safeParse({ pickupPoints: longest }).success).toBe(true);
    expect(PickupPointsRequestSchema.safeParse({ pickupPoints: [] }).success).toBe(true);
  });

  it('finds duplicates by case, composition and spaces', () => {
    expect(pickupPointKey(' Théâtre ')).toBe(pickupPointKey('the\u0301a\u0302tre'));
    expect(duplicatePickupPoint(['Gare', 'Marché', 'GARE'])).toBe('GARE');
    expect(duplicatePickupPoint(['Gare', 'Marché'])).toBeUndefined();
  });

  it('cuts free text to 100 characters without splitting a character', () => {
    expect(normalisePickupPoint('   ')).toBeUndefined();
    expect(normalisePickupPoint(' a \n b ')).toBe('a b');
    expect(normalisePickupPoint('x'.repeat(150))).toBe('x'.repeat(100));
    const cut = normalisePickupPoint(`${'x'.repeat(99)}🚉`);
    expect(cut).toBe('x'.repeat(99));
  });

  it('reads a quota state without pick-up points (an older server) as an empty list', () => {
    const state = {
      site: 'lille',
      plan: null,
      counts: { completed: {}, screenedOut: {} },
      at: '2026-06-15T12:00:00.000Z',
    };
    const parsed = QuotaStateSchema.safeParse(state);
    expect(parsed.success && parsed.data.pickupPoints).toEqual([]);
    const withList = QuotaStateSchema.safeParse({ ...state, pickupPoints: ['Gare'] });
    expect(withList.success && withList.data.pickupPoints).toEqual(['Gare']);
  });
});
