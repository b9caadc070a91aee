// The site's settings (Paramètres du site): name, time zone, the suicide-risk alert's helpline
// and protocol contacts, the short-interview threshold, the interview languages, sample size and
// tolerance, the household-income bands. A coordinator edits them (PUT /sites/:site/settings, the tablets receive them at
// their next sync); an analyst reads them.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { IncomeBands, SiteSettings } from '../../core/protocol/index.ts';
import { MAX_INCOME_BOUNDS, incomeBandLabels } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { refusalWords } from '../api.ts';
import type { SettingsDraft, SettingsProblem } from '../site-settings.ts';
import {
  COMMON_TIME_ZONES,
  MAX_CONTACTS,
  MAX_SAMPLE_SIZE,
  MAX_SHORT_MINUTES,
  MAX_TOLERANCE_PERCENT,
  incomeBandsOf,
  languageName,
  moveEntry,
  settingsBody,
  settingsDraft,
  withDefault,
} from '../site-settings.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';

const OTHER_ZONE = '';

function problemWords(problem: SettingsProblem, text: DashboardTexts): string {
  switch (problem.field) {
    case 'name':
      return text.settingsNameEmpty;
    case 'contactName':
      return text.settingsContactNameEmpty;
    case 'timeZone':
      return text.settingsTimeZoneInvalid;
    case 'helpline':
    case 'contactPhone':
      return text.settingsPhoneInvalid;
    case 'contacts':
      return fill(text.settingsContactsTooMany, { max: MAX_CONTACTS });
    case 'shortMinutes':
      return fill(text.settingsMinutesInvalid, { max: MAX_SHORT_MINUTES });
    case 'languages':
      return problem.problem === 'none'
        ? text.settingsLanguagesNone
        : text.settingsLanguagesUnknown;
    case 'sampleSize':
      return fill(text.settingsSizeInvalid, { max: MAX_SAMPLE_SIZE });
    case 'tolerancePercent':
      return fill(text.settingsToleranceInvalid, { max: MAX_TOLERANCE_PERCENT });
    case 'incomeBounds':
      return fill(text.settingsIncomeBoundsInvalid, { max: MAX_INCOME_BOUNDS });
    case 'incomeCurrency':
      return text.settingsIncomeCurrencyInvalid;
    case 'incomeItem':
      return text.settingsIncomeItemInvalid;
  }
}

/** The bands' labels as the tablets write them, in the dashboard's language. */
function IncomePreview({
  bands,
  language,
}: {
  readonly bands: IncomeBands | null;
  readonly language: string;
}) {
  const text = useText();
  if (bands === null) return <>{text.settingsIncomeNone}</>;
  return (
    <ol className="income-bands">
      {incomeBandLabels(bands, language).map((label, index) => (
        <li key={index}>{label}</li>
      ))}
    </ol>
  );
}

export function SiteSettingsPanel({
  api,
  site,
  settings,
  offeredLanguages,
  canManage,
  language,
  explain,
  onSaved,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  /** The settings as the server last sent them. */
  readonly settings: SiteSettings;
  /** The languages of the published questionnaires (undefined while loading or unknown). */
  readonly offeredLanguages: readonly string[] | undefined;
  /** Coordinators and admins edit; analysts read. */
  readonly canManage: boolean;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  readonly onSaved: () => void;
}) {
  const text = useText();
  const id = useId();
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(settings));
  const [otherZone, setOtherZone] = useState(!COMMON_TIME_ZONES.includes(settings.timeZone));
  const [problems, setProblems] = useState<readonly SettingsProblem[]>([]);
  const [refusal, setRefusal] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!canManage) return <SettingsValues settings={settings} language={language} />;

  const change = (next: Partial<SettingsDraft>) => {
    setDraft((current) => ({ ...current, ...next }));
    setSaved(false);
  };
  const problemOf = (field: SettingsProblem['field'], index?: number) =>
    problems.find(
      (problem) =>
        problem.field === field &&
        (index === undefined || ('index' in problem && problem.index === index)),
    );
  /** The field's error line, and the attributes that tie the field to it. */
  const described = (name: string, problem: SettingsProblem | undefined) => ({
    'aria-invalid': problem !== undefined,
    'aria-describedby': problem === undefined ? undefined : `${id}-${name}-problem`,
  });
  const errorLine = (name: string, problem: SettingsProblem | undefined) =>
    problem === undefined ? null : (
      <p id={`${id}-${name}-problem`} className="field-error">
        {problemWords(problem, text)}
      </p>
    );

  // The choices: the questionnaires' languages, and any the site has that they no longer have.
  const choices = [...new Set([...draft.languages, ...(offeredLanguages ?? [])])].sort((a, b) => {
    const order = (code: string) => offeredLanguages?.indexOf(code) ?? -1;
    return order(a) - order(b);
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    setSaved(false);
    const result = settingsBody(draft, offeredLanguages);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      await api.setSiteSettings(site, result.settings);
      setSaved(true);
      onSaved();
    } catch (failure) {
      setRefusal(refusalWords(failure, text.settingsRefused, explain));
    } finally {
      setBusy(false);
    }
  };

  const zoneProblem = problemOf('timeZone');
  const helplineProblem = problemOf('helpline');
  const minutesProblem = problemOf('shortMinutes');
  const languagesProblem = problemOf('languages');
  const sizeProblem = problemOf('sampleSize');
  const toleranceProblem = problemOf('tolerancePercent');
  const nameProblem = problemOf('name');
  const contactsProblem = problemOf('contacts');
  const boundsProblem = problemOf('incomeBounds');
  const currencyProblem = problemOf('incomeCurrency');
  const itemProblem = problemOf('incomeItem');
  // The preview follows the typing; nothing is shown while the fields cannot make bands.
  const previewBands = incomeBandsOf(draft);

  return (
    <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
      <p>{text.settingsIntro}</p>
      <div className="field">
        <label htmlFor={`${id}-name`}>{text.settingsName}</label>
        <input
          id={`${id}-name`}
          type="text"
          maxLength={100}
          value={draft.name}
          onChange={(event) => change({ name: event.target.value })}
          {...described('name', nameProblem)}
        />
        {errorLine('name', nameProblem)}
      </div>

      <div className="field">
        <label htmlFor={`${id}-zone`}>{text.settingsTimeZone}</label>
        <select
          id={`${id}-zone`}
          value={otherZone ? OTHER_ZONE : draft.timeZone}
          onChange={(event) => {
            const zone = event.target.value;
            setOtherZone(zone === OTHER_ZONE);
            if (zone !== OTHER_ZONE) change({ timeZone: zone });
          }}
          {...described('zone', otherZone ? undefined : zoneProblem)}
        >
          {COMMON_TIME_ZONES.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
          <option value={OTHER_ZONE}>{text.settingsTimeZoneOther}</option>
        </select>
        {otherZone && (
          <>
            <label htmlFor={`${id}-zone-typed`}>{text.settingsTimeZoneTyped}</label>
            <input
              id={`${id}-zone-typed`}
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
              value={draft.timeZone}
              onChange={(event) => change({ timeZone: event.target.value })}
              {...described('zone', zoneProblem)}
            />
          </>
        )}
        <p className="small">{text.settingsTimeZoneHelp}</p>
        {errorLine('zone', zoneProblem)}
      </div>

      <div className="field">
        <label htmlFor={`${id}-helpline`}>{text.settingsHelpline}</label>
        <input
          id={`${id}-helpline`}
          type="tel"
          autoComplete="off"
          maxLength={32}
          value={draft.helpline}
          onChange={(event) => change({ helpline: event.target.value })}
          {...described('helpline', helplineProblem)}
        />
        <p className="small">{text.settingsHelplineHelp}</p>
        {errorLine('helpline', helplineProblem)}
      </div>

      <fieldset className="settings-contacts">
        <legend>{text.settingsContacts}</legend>
        <p className="small">{text.settingsContactsHelp}</p>
        {draft.contacts.length === 0 && <p>{text.settingsContactsNone}</p>}
        <ol className="contact-list">
          {draft.contacts.map((contact, index) => {
            const n = index + 1;
            const nameIssue = problemOf('contactName', index);
            const phoneIssue = problemOf('contactPhone', index);
            const edit = (next: Partial<typeof contact>) =>
              change({
                contacts: draft.contacts.map((entry, i) =>
                  i === index ? { ...entry, ...next } : entry,
                ),
              });
            return (
              <li key={index} className="card" data-contact={index}>
                <div className="move-fields">
                  <div className="field">
                    <label htmlFor={`${id}-contact-${index}-name`}>
                      {fill(text.contactNameLabel, { n })}
                    </label>
                    <input
                      id={`${id}-contact-${index}-name`}
                      type="text"
                      maxLength={100}
                      value={contact.name}
                      onChange={(event) => edit({ name: event.target.value })}
                      {...described(`contact-${index}-name`, nameIssue)}
                    />
                    {errorLine(`contact-${index}-name`, nameIssue)}
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-contact-${index}-role`}>
                      {fill(text.contactRoleLabel, { n })}
                    </label>
                    <input
                      id={`${id}-contact-${index}-role`}
                      type="text"
                      maxLength={100}
                      value={contact.role}
                      onChange={(event) => edit({ role: event.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-contact-${index}-phone`}>
                      {fill(text.contactPhoneLabel, { n })}
                    </label>
                    <input
                      id={`${id}-contact-${index}-phone`}
                      type="tel"
                      maxLength={32}
                      value={contact.phone}
                      onChange={(event) => edit({ phone: event.target.value })}
                      {...described(`contact-${index}-phone`, phoneIssue)}
                    />
                    {errorLine(`contact-${index}-phone`, phoneIssue)}
                  </div>
                </div>
                <span className="inline">
                  <button
                    type="button"
                    className="quiet"
                    disabled={index === 0}
                    aria-label={fill(text.contactUpLabel, { n })}
                    onClick={() => change({ contacts: moveEntry(draft.contacts, index, -1) })}
                  >
                    {text.contactUp}
                  </button>
                  <button
                    type="button"
                    className="quiet"
                    disabled={index === draft.contacts.length - 1}
                    aria-label={fill(text.contactDownLabel, { n })}
                    onClick={() => change({ contacts: moveEntry(draft.contacts, index, 1) })}
                  >
                    {text.contactDown}
                  </button>
                  <button
                    type="button"
                    className="quiet"
                    aria-label={fill(text.contactRemoveLabel, { n })}
                    onClick={() =>
                      change({ contacts: draft.contacts.filter((_, i) => i !== index) })
                    }
                  >
                    {text.contactRemove}
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          disabled={draft.contacts.length >= MAX_CONTACTS}
          onClick={() =>
            change({ contacts: [...draft.contacts, { name: '', role: '', phone: '' }] })
          }
        >
          {text.contactAdd}
        </button>
        {contactsProblem !== undefined && (
          <p className="field-error">{problemWords(contactsProblem, text)}</p>
        )}
      </fieldset>

      <div className="move-fields">
        <div className="field">
          <label htmlFor={`${id}-short`}>{text.settingsShort}</label>
          <input
            id={`${id}-short`}
            type="text"
            inputMode="decimal"
            value={draft.shortMinutes}
            onChange={(event) => change({ shortMinutes: event.target.value })}
            {...described('short', minutesProblem)}
          />
          {errorLine('short', minutesProblem)}
        </div>
        <div className="field">
          <label htmlFor={`${id}-size`}>{text.settingsSampleSize}</label>
          <input
            id={`${id}-size`}
            type="text"
            inputMode="numeric"
            value={draft.sampleSize}
            onChange={(event) => change({ sampleSize: event.target.value })}
            {...described('size', sizeProblem)}
          />
          {errorLine('size', sizeProblem)}
        </div>
        <div className="field">
          <label htmlFor={`${id}-tolerance`}>{text.settingsTolerance}</label>
          <input
            id={`${id}-tolerance`}
            type="text"
            inputMode="decimal"
            value={draft.tolerancePercent}
            onChange={(event) => change({ tolerancePercent: event.target.value })}
            {...described('tolerance', toleranceProblem)}
          />
          {errorLine('tolerance', toleranceProblem)}
        </div>
      </div>

      <fieldset>
        <legend>{text.settingsLanguages}</legend>
        <p className="small">{text.settingsLanguagesHelp}</p>
        {choices.map((code) => (
          <label key={code} className="inline export-check">
            <input
              type="checkbox"
              checked={draft.languages.includes(code)}
              onChange={(event) =>
                change({
                  languages: event.target.checked
                    ? [...draft.languages, code]
                    : draft.languages.filter((entry) => entry !== code),
                })
              }
            />
            {languageName(code, language)}
          </label>
        ))}
        {draft.languages.length > 1 && (
          <div className="field">
            <label htmlFor={`${id}-default-language`}>{text.settingsDefaultLanguage}</label>
            <select
              id={`${id}-default-language`}
              value={draft.languages[0]}
              onChange={(event) =>
                change({ languages: withDefault(draft.languages, event.target.value) })
              }
            >
              {draft.languages.map((code) => (
                <option key={code} value={code}>
                  {languageName(code, language)}
                </option>
              ))}
            </select>
          </div>
        )}
        {errorLine('languages', languagesProblem)}
      </fieldset>

      <fieldset>
        <legend>{text.settingsIncome}</legend>
        <p className="small">{text.settingsIncomeHelp}</p>
        <div className="field">
          <label htmlFor={`${id}-income-bounds`}>{text.settingsIncomeBounds}</label>
          <input
            id={`${id}-income-bounds`}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={draft.incomeBounds}
            onChange={(event) => change({ incomeBounds: event.target.value })}
            {...described('income-bounds', boundsProblem)}
          />
          {errorLine('income-bounds', boundsProblem)}
        </div>
        <div className="field">
          <label htmlFor={`${id}-income-currency`}>{text.settingsIncomeCurrency}</label>
          <input
            id={`${id}-income-currency`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={3}
            value={draft.incomeCurrency}
            onChange={(event) => change({ incomeCurrency: event.target.value })}
            {...described('income-currency', currencyProblem)}
          />
          {errorLine('income-currency', currencyProblem)}
        </div>
        <div className="field">
          <label htmlFor={`${id}-income-item`}>{text.settingsIncomeItem}</label>
          <input
            id={`${id}-income-item`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
            value={draft.incomeItem}
            onChange={(event) => change({ incomeItem: event.target.value })}
            {...described('income-item', itemProblem)}
          />
          {errorLine('income-item', itemProblem)}
        </div>
        {previewBands !== undefined && (
          <div aria-live="polite">
            <p className="small">{text.settingsIncomePreview}</p>
            <IncomePreview bands={previewBands} language={language} />
          </div>
        )}
      </fieldset>

      {problems.length > 0 && (
        <p className="field-error" role="alert">
          {text.settingsCheck}
        </p>
      )}
      {refusal !== undefined && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
      {saved && (
        <p className="notice" role="status">
          {text.settingsSaved}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {text.settingsSave}
      </button>
    </form>
  );
}

/** The settings as an analyst reads them. */
function SettingsValues({
  settings,
  language,
}: {
  readonly settings: SiteSettings;
  readonly language: string;
}) {
  const text = useText();
  return (
    <dl className="refused-facts settings-values" data-testid="site-settings">
      <div>
        <dt>{text.settingsName}</dt>
        <dd>{settings.name}</dd>
      </div>
      <div>
        <dt>{text.settingsTimeZone}</dt>
        <dd>{settings.timeZone}</dd>
      </div>
      <div>
        <dt>{text.settingsHelpline}</dt>
        <dd>{settings.helpline}</dd>
      </div>
      <div>
        <dt>{text.settingsContacts}</dt>
        <dd>
          {settings.protocolContacts.length === 0 ? (
            text.settingsContactsNone
          ) : (
            <ol>
              {settings.protocolContacts.map((contact, index) => (
                <li key={index}>
                  {contact.name}
                  {contact.role === '' ? '' : ` (${contact.role})`} : {contact.phone}
                </li>
              ))}
            </ol>
          )}
        </dd>
      </div>
      <div>
        <dt>{text.settingsShort}</dt>
        <dd>{Math.round((settings.shortInterviewSeconds / 60) * 100) / 100}</dd>
      </div>
      <div>
        <dt>{text.settingsLanguages}</dt>
        <dd>{settings.languages.map((code) => languageName(code, language)).join(', ')}</dd>
      </div>
      <div>
        <dt>{text.settingsSampleSize}</dt>
        <dd>{settings.sampleSize}</dd>
      </div>
      <div>
        <dt>{text.settingsTolerance}</dt>
        <dd>{Math.round(settings.tolerance * 10_000) / 100}</dd>
      </div>
      <div>
        <dt>{text.settingsIncome}</dt>
        <dd>
          <IncomePreview bands={settings.incomeBands ?? null} language={language} />
        </dd>
      </div>
    </dl>
  );
}
