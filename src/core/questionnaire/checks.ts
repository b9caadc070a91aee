// The checks of a definition that need no expression: languages and translations, choice lists
// and their codes, ids, ranges, non-response codes; and every name declared, with its kind and
// position, before any expression is read.
import type { VariableKind } from './model.ts';
import type { Checker } from './expression-checks.ts';
import type { Choice, Definition, Item, LocalizedText } from './schema.ts';
import { closest, textEntries } from './texts.ts';

function missingLanguages(text: LocalizedText, languages: readonly string[]): string[] {
  return languages.filter((language) => text[language] === undefined);
}

/** Resolves an item's choices (inline or shared list). */
function resolveChoices(
  item: Item,
  definition: Definition,
  path: string,
  checker: Checker,
): Choice[] | undefined {
  if (!('choices' in item) || item.choices === undefined) return undefined;
  if (Array.isArray(item.choices)) return item.choices;
  const list = definition.choiceLists?.[item.choices];
  if (list === undefined) {
    const guess = closest(item.choices, Object.keys(definition.choiceLists ?? {}));
    checker.error(
      `${path}.choices`,
      'unknown_choice_list',
      `unknown choice list "${item.choices}"${guess ? `; did you mean "${guess}"?` : '; declare it in choiceLists'}`,
    );
    return undefined;
  }
  return list;
}

export function variableKind(item: Item): VariableKind | undefined {
  switch (item.type) {
    case 'note':
    case 'grid':
      return undefined;
    default:
      return item.type;
  }
}

export function structuralChecks(definition: Definition, checker: Checker): void {
  const { languages, defaultLanguage } = definition;
  if (!languages.includes(defaultLanguage)) {
    checker.error(
      'defaultLanguage',
      'default_language',
      `default language "${defaultLanguage}" is not one of the languages (${languages.join(', ')})`,
    );
  }
  const seenLanguages = new Set<string>();
  languages.forEach((language, i) => {
    if (seenLanguages.has(language)) {
      checker.error(`languages[${i}]`, 'duplicate_id', `language "${language}" is listed twice`);
    }
    seenLanguages.add(language);
  });
  for (const entry of textEntries(definition)) {
    // The interviewer's texts may stay in the default language alone (shown as such); what the
    // respondent hears or sees must be in every language offered.
    const wanted =
      entry.reader === 'respondent'
        ? languages
        : languages.filter((language) => language === defaultLanguage);
    const missing = missingLanguages(entry.text, wanted);
    if (missing.length > 0) {
      checker.error(
        entry.path,
        'missing_translation',
        entry.reader === 'respondent'
          ? `no text in ${missing.join(', ')}; what the respondent hears or sees needs all the questionnaire's languages (${languages.join(', ')})`
          : `no text in ${missing.join(', ')}, the default language`,
      );
    }
    for (const language of Object.keys(entry.text)) {
      if (!languages.includes(language)) {
        checker.error(
          `${entry.path}.${language}`,
          'missing_translation',
          `text in "${language}", which is not one of the languages (${languages.join(', ')}); add it to "languages" or remove the text`,
        );
      }
    }
  }
  for (const [listId, choices] of Object.entries(definition.choiceLists ?? {})) {
    duplicateCodes(choices, `choiceLists.${listId}`, checker);
  }
  const { dontKnow, refused } = definition.nonResponse;
  if (dontKnow.code === refused.code) {
    checker.error(
      'nonResponse.refused.code',
      'non_response_code',
      `"don't know" and "refused" both have code ${refused.code}; give them distinct codes`,
    );
  }
}

function duplicateCodes(choices: readonly Choice[], path: string, checker: Checker): void {
  const seen = new Set<string>();
  choices.forEach((choice, i) => {
    if (seen.has(choice.code)) {
      checker.error(
        `${path}[${i}].code`,
        'duplicate_choice_code',
        `code "${choice.code}" appears twice in this list; codes must be unique`,
      );
    }
    seen.add(choice.code);
  });
}

function itemChecks(
  item: Item,
  path: string,
  choices: readonly Choice[] | undefined,
  definition: Definition,
  checker: Checker,
): void {
  if ('min' in item && 'max' in item && item.min !== undefined && item.max !== undefined) {
    if (item.min > item.max) {
      checker.error(
        `${path}.min`,
        'invalid_range',
        `min (${item.min}) is greater than max (${item.max})`,
      );
    }
  }
  if (Array.isArray('choices' in item ? item.choices : undefined) && choices !== undefined) {
    duplicateCodes(choices, `${path}.choices`, checker);
  }
  if (item.type === 'multiple' && item.exclusive !== undefined && choices !== undefined) {
    item.exclusive.forEach((code, i) => {
      if (!choices.some((choice) => choice.code === code)) {
        checker.error(
          `${path}.exclusive[${i}]`,
          'unknown_exclusive_code',
          `"${code}" is not one of this item's choice codes`,
        );
      }
    });
  }
  const offersNonResponse =
    item.type !== 'note' && item.type !== 'calculate' && item.nonResponse !== false;
  if (!offersNonResponse) return;
  for (const kind of ['dontKnow', 'refused'] as const) {
    const code = definition.nonResponse[kind].code;
    const codeText = String(code);
    const clashesWithChoice = choices?.some((choice) => choice.code === codeText) ?? false;
    // A numeric item's declared range must leave the codes out (an item with no bound at all
    // says nothing about its values, and is not flagged).
    const inRange =
      (item.type === 'integer' || item.type === 'decimal') &&
      (item.min !== undefined || item.max !== undefined) &&
      (item.min === undefined || code >= item.min) &&
      (item.max === undefined || code <= item.max);
    if (clashesWithChoice || inRange) {
      checker.error(
        `nonResponse.${kind}.code`,
        'non_response_code',
        `code ${code} is also a valid answer of ${item.id} (${path}); narrow its min/max, choose non-response codes no answer can take, or set "nonResponse": false on the item`,
      );
    }
  }
}

/**
 * Pass 1: every name, its kind and position, before any expression is read; ids, choice lists and
 * each item's own fields checked on the way. Returns each item's choices, shared list resolved.
 */
export function declareNames(
  definition: Definition,
  checker: Checker,
): Map<Item, Choice[] | undefined> {
  const seenIds = new Map<string, string>();
  const claim = (id: string, path: string): void => {
    const first = seenIds.get(id);
    if (first !== undefined) {
      checker.error(
        path,
        'duplicate_id',
        `id "${id}" is already used at ${first}; ids must be unique`,
      );
    } else {
      seenIds.set(id, path);
    }
  };
  const sectionIds = new Set<string>();
  const choicesByItem = new Map<Item, Choice[] | undefined>();
  const usedLists = new Set<string>();
  let position = 0;
  definition.sections.forEach((section, s) => {
    if (sectionIds.has(section.id)) {
      checker.error(
        `sections[${s}].id`,
        'duplicate_id',
        `section id "${section.id}" is used twice`,
      );
    }
    sectionIds.add(section.id);
    section.items.forEach((item, i) => {
      const path = `sections[${s}].items[${i}]`;
      claim(item.id, `${path}.id`);
      const choices = resolveChoices(item, definition, path, checker);
      choicesByItem.set(item, choices);
      if ('choices' in item && typeof item.choices === 'string') usedLists.add(item.choices);
      itemChecks(item, path, choices, definition, checker);
      const codes = choices ? new Set(choices.map((choice) => choice.code)) : undefined;
      const kind = variableKind(item);
      if (kind !== undefined) {
        checker.variables.set(item.id, {
          name: item.id,
          kind,
          position,
          codes,
          multiple: item.type === 'multiple',
          valueType:
            item.type === 'calculate'
              ? (item.valueType ?? 'any')
              : item.type === 'integer' || item.type === 'decimal'
                ? 'number'
                : 'string',
        });
      } else {
        checker.valueless.set(
          item.id,
          item.type === 'grid' ? 'a grid (refer to one of its rows)' : 'a note',
        );
      }
      if (item.type === 'grid') {
        item.rows.forEach((row, r) => {
          claim(row.id, `${path}.rows[${r}].id`);
          checker.variables.set(row.id, {
            name: row.id,
            kind: item.select === 'multiple' ? 'multiple' : 'single',
            position,
            codes,
            multiple: item.select === 'multiple',
            valueType: 'string',
          });
        });
      }
      position++;
    });
  });
  for (const listId of Object.keys(definition.choiceLists ?? {})) {
    if (!usedLists.has(listId)) {
      checker.warn(
        `choiceLists.${listId}`,
        'unused_choice_list',
        `choice list "${listId}" is never used`,
      );
    }
  }
  return choicesByItem;
}

/** Alerts and screen-outs: ids unique within each list. */
export function conditionIdChecks(definition: Definition, checker: Checker): void {
  const uniqueIds = (list: readonly { id: string }[], path: string): void => {
    const seen = new Set<string>();
    list.forEach((element, i) => {
      if (seen.has(element.id)) {
        checker.error(`${path}[${i}].id`, 'duplicate_id', `id "${element.id}" is used twice`);
      }
      seen.add(element.id);
    });
  };
  uniqueIds(definition.alerts ?? [], 'alerts');
  uniqueIds(definition.screenOuts ?? [], 'screenOuts');
}
