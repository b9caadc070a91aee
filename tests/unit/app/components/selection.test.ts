import { describe, expect, it } from 'vitest';
import { TappedCodes, toggledSelection } from '../../../../src/app/components/selection.ts';

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

describe('TappedCodes', () => {
  const shown = { state: 'shown' };

  it('builds a tap on the one before it until the screen shows a new state', () => {
    const tapped = new TappedCodes();
    expect(tapped.base(shown, ['shop'])).toEqual(['shop']);
    tapped.tap(shown, ['shop', 'work']);
    expect(tapped.base(shown, ['shop'])).toEqual(['shop', 'work']);
    // The screen shows the answer (a new state): what it shows is the truth again.
    expect(tapped.base({ state: 'next' }, ['shop', 'work', 'sport'])).toEqual([
      'shop',
      'work',
      'sport',
    ]);
  });

  it('drops a tap once its answer is stored, not a later tap', () => {
    const tapped = new TappedCodes();
    const first = tapped.tap(shown, ['shop']);
    const second = tapped.tap(shown, ['shop', 'work']);
    first(false);
    expect(tapped.base(shown, [])).toEqual(['shop', 'work']);
    second(false);
    expect(tapped.base(shown, [])).toEqual([]);
  });

  it('brings back the tap before a refused one', () => {
    const tapped = new TappedCodes();
    const first = tapped.tap(shown, ['shop']);
    const refused = tapped.tap(shown, ['shop', 'work']);
    refused(true);
    expect(tapped.base(shown, [])).toEqual(['shop']);
    first(false);
    expect(tapped.base(shown, [])).toEqual([]);
    // Refused with nothing tapped before it: the codes shown.
    tapped.tap(shown, ['none'])(true);
    expect(tapped.base(shown, ['sport'])).toEqual(['sport']);
  });
});
