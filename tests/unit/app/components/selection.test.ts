import { describe, expect, it } from 'vitest';
import { toggledSelection } from '../../../../src/app/components/selection.ts';

const choices = ['shop', 'work', 'sport', 'none'].map((code) => ({ code, label: { fr: code } }));

describe('toggledSelection', () => {
  it('adds a code in the order of the choices, whatever the order of the taps', () => {
    expect(toggledSelection(choices, ['sport'], 'shop', true)).toEqual(['shop', 'sport']);
    expect(toggledSelection(choices, ['shop', 'sport'], 'work', true)).toEqual([
      'shop',
      'work',
      'sport',
    ]);
  });

  it('removes an unticked code, the others left in the order of the choices', () => {
    expect(toggledSelection(choices, ['shop', 'sport'], 'shop', false)).toEqual(['sport']);
    expect(toggledSelection(choices, ['shop'], 'shop', false)).toEqual([]);
    expect(toggledSelection(choices, ['sport', 'work', 'shop'], 'work', false)).toEqual([
      'shop',
      'sport',
    ]);
  });

  it('makes an exclusive code stand alone, and drops it when another is ticked', () => {
    expect(toggledSelection(choices, ['shop', 'work'], 'none', true, ['none'])).toEqual(['none']);
    expect(toggledSelection(choices, ['none'], 'sport', true, ['none'])).toEqual(['sport']);
    // Without exclusive codes, "none" is a code like the others.
    expect(toggledSelection(choices, ['shop'], 'none', true)).toEqual(['shop', 'none']);
  });
});
