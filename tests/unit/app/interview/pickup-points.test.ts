// The pick-up point chooser's rules: the site's list first, the last place used selected (and
// offered even when it was typed in), free text only when there is nothing to offer.
import { describe, expect, it } from 'vitest';
import { pickupChoices } from '../../../../src/app/interview/pickup-points.ts';

const LIST = ['Marché de Wazemmes', 'Gare Lille-Flandres', 'Place du Théâtre'];

describe('pickupChoices', () => {
  it('offers the site’s list with the last place used selected', () => {
    expect(pickupChoices(LIST, 'Gare Lille-Flandres')).toEqual({
      options: LIST,
      preselected: 'Gare Lille-Flandres',
    });
  });

  it('selects nothing on a tablet that has not started an interview yet', () => {
    expect(pickupChoices(LIST, undefined)).toEqual({ options: LIST, preselected: undefined });
  });

  it('offers a place typed in last time after the list, selected', () => {
    expect(pickupChoices(LIST, '  Parvis   de l’église ')).toEqual({
      options: [...LIST, 'Parvis de l’église'],
      preselected: 'Parvis de l’église',
    });
  });

  it('matches the last place to the list whatever its case and spaces', () => {
    expect(pickupChoices(LIST, 'gare  lille-flandres')).toEqual({
      options: LIST,
      preselected: 'Gare Lille-Flandres',
    });
  });

  it('shows a label listed twice once, and skips empty ones', () => {
    expect(pickupChoices(['Gare', ' gare ', '   ', 'Marché'], undefined).options).toEqual([
      'Gare',
      'Marché',
    ]);
  });

  it('offers nothing (free text only) without a list or a last place', () => {
    expect(pickupChoices(undefined, undefined)).toEqual({ options: [], preselected: undefined });
    expect(pickupChoices([], '   ')).toEqual({ options: [], preselected: undefined });
  });

  it('offers the last place alone on a tablet without the site’s list', () => {
    expect(pickupChoices(undefined, 'Gare')).toEqual({ options: ['Gare'], preselected: 'Gare' });
  });
});
