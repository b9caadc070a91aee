// The interface's words: English, loaded on demand, says everything French says; the app's picker
// gives the asked language, and nothing (never French) while English has not loaded yet.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HOME_TEXT, useHomeText } from '../../../src/app/home-text.ts';
import { UI_TEXT_EN } from '../../../src/app/ui-text-en.ts';
import type { UiLanguage } from '../../../src/app/ui-text.ts';
import {
  UI_TEXT_FR,
  UiTextContext,
  loadUiText,
  useUiText,
  useUiTextFor,
} from '../../../src/app/ui-text.ts';

/** Every key, nested ones as `outer.inner`, in order. */
function keysOf(texts: object, prefix = ''): string[] {
  return Object.entries(texts).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'object' && value !== null
      ? keysOf(value, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/** The `{name}` placeholders of every text, by key. */
function placeholdersOf(texts: object): Record<string, string[]> {
  const flat = (value: object, prefix: string): [string, string][] =>
    Object.entries(value).flatMap(([key, inner]: [string, unknown]) =>
      typeof inner === 'object' && inner !== null
        ? flat(inner, `${prefix}${key}.`)
        : [[`${prefix}${key}`, String(inner)]],
    );
  return Object.fromEntries(
    flat(texts, '').map(([key, text]) => [key, [...text.matchAll(/\{\w+\}/g)].map(String).sort()]),
  );
}

/** What the app shows for `language` now: the language and the "loading" word, or nothing. */
function Picked({ language }: { readonly language: UiLanguage }) {
  const ui = useUiTextFor(language);
  return ui === undefined ? null : (
    <UiTextContext.Provider value={ui}>
      <Shown />
    </UiTextContext.Provider>
  );
}

function Shown() {
  return (
    <p>
      {useUiText().loading} / {useHomeText().pickupTitle}
    </p>
  );
}

describe('interface text', () => {
  it('has every French key in English, and no other', () => {
    expect(keysOf(UI_TEXT_EN)).toEqual(keysOf(UI_TEXT_FR));
    expect(keysOf(UI_TEXT_FR).length).toBeGreaterThan(100);
  });

  it('keeps the placeholders of every French text in English, and leaves none empty', () => {
    expect(placeholdersOf(UI_TEXT_EN)).toEqual(placeholdersOf(UI_TEXT_FR));
    for (const texts of [UI_TEXT_FR, UI_TEXT_EN])
      expect(keysOf(texts).filter((key) => textAt(texts, key).trim() === '')).toEqual([]);
  });

  it('shows nothing for English until it has loaded, then English; French at once', async () => {
    expect(renderToStaticMarkup(<Picked language="fr" />)).toBe(
      `<p>${UI_TEXT_FR.loading} / ${HOME_TEXT.fr.pickupTitle}</p>`,
    );
    // Not loaded yet: nothing, never French first.
    expect(renderToStaticMarkup(<Picked language="en" />)).toBe('');
    expect(await loadUiText('en')).toBe(UI_TEXT_EN);
    expect(renderToStaticMarkup(<Picked language="en" />)).toBe(
      `<p>${UI_TEXT_EN.loading} / ${HOME_TEXT.en.pickupTitle}</p>`,
    );
    expect(await loadUiText('fr')).toBe(UI_TEXT_FR);
  });
});

/** The text at `outer.inner`. */
function textAt(texts: object, key: string): string {
  let value: unknown = texts;
  for (const part of key.split('.')) value = (value as Record<string, unknown>)[part];
  return typeof value === 'string' ? value : '';
}
