// Adding and removing pick-up points on the dashboard: a place is cleaned as the server cleans it,
// and refused (with the reason) when the server would refuse the list.
import { describe, expect, it } from 'vitest';
import { PickupPointsRequestSchema } from '../../../src/core/protocol/index.ts';
import { addPickupPoint, removePickupPoint } from '../../../src/dashboard/pickup-points.ts';

const LIST = ['Marché de Wazemmes', 'Gare Lille-Flandres'];

describe('addPickupPoint', () => {
  it('adds a place at the end, cleaned', () => {
    expect(addPickupPoint(LIST, '  Place du   Théâtre ')).toEqual({
      list: [...LIST, 'Place du Théâtre'],
    });
  });

  it('says why a place cannot be added', () => {
    expect(addPickupPoint(LIST, '   ')).toEqual({ problem: 'empty' });
    expect(addPickupPoint(LIST, 'x'.repeat(101))).toEqual({ problem: 'too_long' });
    expect(addPickupPoint(LIST, 'gare  LILLE-Flandres')).toEqual({
      problem: 'duplicate',
      place: 'Gare Lille-Flandres',
    });
    const full = Array.from({ length: 50 }, (_, i) => `Lieu ${i}`);
    expect(addPickupPoint(full, 'Gare')).toEqual({ problem: 'too_many' });
  });

  it('only ever builds lists the server accepts as they are', () => {
    let list: readonly string[] = [];
    for (const typed of [
      ' Gare ',
      'gare',
      'x'.repeat(100),
      'Marché  couvert',
      '',
      'y'.repeat(101),
    ]) {
      const result = addPickupPoint(list, typed);
      if ('list' in result) list = result.list;
    }
    expect(list).toEqual(['Gare', 'x'.repeat(100), 'Marché couvert']);
    const parsed = PickupPointsRequestSchema.safeParse({ pickupPoints: list });
    expect(parsed.success && parsed.data.pickupPoints).toEqual(list);
  });
});

describe('removePickupPoint', () => {
  it('removes the place and keeps the order of the others', () => {
    expect(removePickupPoint([...LIST, 'Place du Théâtre'], 'Gare Lille-Flandres')).toEqual([
      'Marché de Wazemmes',
      'Place du Théâtre',
    ]);
    expect(removePickupPoint(LIST, 'Nowhere')).toEqual(LIST);
  });
});
