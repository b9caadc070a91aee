// The suicide-risk alert as the interviewer sees it: the site's helpline where the protocol names
// it and as a number to call, and the site's protocol contacts in the order given; on a tablet
// without a server, 3114 and no contacts.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AlertProtocol } from '../../../../src/app/components/AlertProtocol.tsx';
import { alertContacts } from '../../../../src/app/site-settings.ts';
import type { DeviceSettings } from '../../../../src/app/storage/index.ts';
import { UI_TEXT_EN } from '../../../../src/app/ui-text-en.ts';
import { UI_TEXT_FR, UiTextContext } from '../../../../src/app/ui-text.ts';
import type { ProtocolContact } from '../../../../src/core/protocol/index.ts';
import { ALERT_ACTIONS, BREAK_OFF_REASONS } from '../../../../src/core/protocol/index.ts';

const UI_TEXT = { fr: UI_TEXT_FR, en: UI_TEXT_EN };

const PROTOCOL =
  'Restez calme et à l’écoute.\nDonnez le numéro d’aide {{helpline}} et prévenez votre superviseur.';

const CONTACTS: ProtocolContact[] = [
  { name: 'Dr Lebon', role: 'psychiatre, CMP', phone: '0594 11 22 33' },
  { name: 'Mme Joseph', role: '', phone: '+594 594 44 55 66' },
];

/** What a synced tablet holds of its site: its helpline and protocol contacts. */
const SITE_SETTINGS = {
  name: 'Cayenne',
  timeZone: 'America/Cayenne',
  helpline: '0594 00 00 00',
  protocolContacts: CONTACTS,
  shortInterviewSeconds: 1200,
  languages: ['fr'],
  sampleSize: 900,
  tolerance: 0.05,
};

const TABLET: DeviceSettings = {
  deviceId: 'device-1',
  site: 'cayenne',
  interviewer: 'ENQ-07',
  uiLanguage: 'fr',
  practiceMode: false,
};

function render(settings: DeviceSettings, language: 'fr' | 'en' = 'fr'): string {
  const { helpline, contacts } = alertContacts(settings);
  return renderToStaticMarkup(
    <UiTextContext.Provider value={{ language, text: UI_TEXT[language] }}>
      <AlertProtocol
        title="Risque suicidaire élevé"
        protocol={PROTOCOL}
        helpline={helpline}
        contacts={contacts}
        onAcknowledge={() => {}}
      />
    </UiTextContext.Provider>,
  );
}

/** The text of the markup, tags left out. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, '');

describe('AlertProtocol', () => {
  it('gives the site’s helpline and its contacts, in order, each a number to call', () => {
    const html = render({
      ...TABLET,
      serverUrl: 'https://collecte.example.org',
      deviceToken: 'dev_abc',
      siteSettings: SITE_SETTINGS,
    });
    expect(html).not.toContain('{{helpline}}');
    expect(textOf(html)).toContain('Donnez le numéro d’aide 0594 00 00 00 et prévenez');
    expect(html).toContain('<a href="tel:0594000000">0594 00 00 00</a>');
    expect(textOf(html)).toContain(`${UI_TEXT.fr.alertHelpline} : 0594 00 00 00`);
    const list = /<ol class="protocol-contacts"[^>]*>(.*)<\/ol>/.exec(html)?.[1] ?? '';
    const items = [...list.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1] ?? '');
    expect(items.map(textOf)).toEqual([
      'Dr Lebon, psychiatre, CMP : 0594 11 22 33',
      'Mme Joseph : +594 594 44 55 66',
    ]);
    expect(items[0]).toContain('<a href="tel:0594112233">0594 11 22 33</a>');
    expect(items[1]).toContain('<a href="tel:+594594445566">+594 594 44 55 66</a>');
    expect(textOf(html)).toContain(UI_TEXT.fr.alertContacts);
  });

  it('gives 3114 and no contacts on a tablet without a server', () => {
    const html = render(TABLET, 'en');
    expect(textOf(html)).toContain('Donnez le numéro d’aide 3114 et prévenez');
    expect(html).toContain('<a href="tel:3114">3114</a>');
    expect(textOf(html)).toContain(`${UI_TEXT.en.alertHelpline} : 3114`);
    expect(html).not.toContain('protocol-contacts');
    expect(textOf(html)).not.toContain(UI_TEXT.en.alertContacts);
  });

  it('gives the number typed on a tablet enrolled before sites had settings', () => {
    const html = render({ ...TABLET, deviceToken: 'dev_abc', typedHelpline: '0 800 000 000' });
    expect(textOf(html)).toContain('Donnez le numéro d’aide 0 800 000 000 et prévenez');
    expect(html).not.toContain('3114');
  });

  it('asks what the interviewer did: every action of the protocol, none ticked, then the button', () => {
    const html = render(TABLET);
    const boxes = [...html.matchAll(/<input type="checkbox"[^>]*value="([a-z_]+)"[^>]*\/>/g)];
    expect(boxes.map((match) => match[1])).toEqual([...ALERT_ACTIONS]);
    expect(boxes.some((match) => match[0].includes('checked'))).toBe(false);
    for (const action of ALERT_ACTIONS)
      expect(textOf(html)).toContain(UI_TEXT.fr.alertActions[action]);
    expect(textOf(html)).toContain(UI_TEXT.fr.alertActionsLegend);
    // The acknowledgement stays the dialog's only button, after the boxes.
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html.indexOf('<button')).toBeGreaterThan(html.lastIndexOf('type="checkbox"'));
  });

  it('is the screen: its title the one level-one heading, the contacts a level-two one', () => {
    const html = render({ ...TABLET, deviceToken: 'dev_abc', siteSettings: SITE_SETTINGS });
    expect([...html.matchAll(/<h([1-6])[ >]/g)].map((match) => match[1])).toEqual(['1', '2']);
    expect(/<h1[^>]*>(.*?)<\/h1>/.exec(html)?.[1]).toBe('Risque suicidaire élevé');
    expect(textOf(/<h2[^>]*>(.*?)<\/h2>/.exec(html)?.[1] ?? '')).toBe(UI_TEXT.fr.alertContacts);
  });

  it('names every action and every break-off reason of the protocol, in its order, in both languages', () => {
    for (const language of ['fr', 'en'] as const) {
      expect(Object.keys(UI_TEXT[language].alertActions)).toEqual([...ALERT_ACTIONS]);
      expect(Object.keys(UI_TEXT[language].breakOffReasons)).toEqual([...BREAK_OFF_REASONS]);
    }
  });
});
