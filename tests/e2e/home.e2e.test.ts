// Issue #25's home screen, end to end in Chromium. Without a server: drafts say whom they are with
// (title, sex and age band, when), "Reprendre" fits its box at tablet and phone widths with a name
// of its own, counts and sizes read in French (and English), no quota plan to import, no axe
// violation. A field tablet (the real server): the site's name, only the site's questionnaire
// (the demo's other versions and SMPG only in practice mode), the plan from the server, and a
// revoked tablet that says so at "Nouvel entretien" instead of opening an interview.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_TEXT } from '../../src/app/home-text.ts';
import { UI_TEXT_EN } from '../../src/app/ui-text-en.ts';
import type { CentralServer } from './central-server.ts';
import { enrolTablet, startCentralServer } from './central-server.ts';
import { DEMO_CALM } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  PHONE,
  TABLET,
  TEXT,
  answerUntil,
  completeInterview,
  firstRun,
  launchBrowser,
  runAxe,
  startApp,
  startInterview,
  unlockIfLocked,
} from './harness.ts';

const EN = { ...UI_TEXT_EN, ...HOME_TEXT.en };
const SMPG_TITLE = 'Santé mentale en population générale : images et réalités';
const DEMO_TITLE = 'Démonstration : la vie dans le quartier (v2)';

/** Intl's no-break spaces, read as plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

/** Back to the home screen from an interview left open (its address's hash changes). */
async function home(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/#/`);
  await unlockIfLocked(page);
  await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
}

/** Each draft's "Reprendre" button: its name, and whether its word fits within it and its card. */
async function resumeButtons(page: Page) {
  return page.locator('ul.drafts li').evaluateAll((items) =>
    items.map((item) => {
      const button = item.querySelector('button');
      const card = item.closest('section');
      if (button === null || card === null) return { name: '', fits: false, inCard: false };
      const box = button.getBoundingClientRect();
      const cardBox = card.getBoundingClientRect();
      return {
        name: button.getAttribute('aria-label') ?? button.textContent ?? '',
        fits: button.scrollWidth <= button.clientWidth,
        inCard: box.left >= cardBox.left - 0.5 && box.right <= cardBox.right + 0.5,
      };
    }),
  );
}

/** The values of the questionnaire chooser's options, once the home screen has read them. */
async function offered(page: Page): Promise<string[]> {
  return page
    .locator('select')
    .filter({ has: page.locator('option[value="demo"], option[value="smpg"]') })
    .locator('option')
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
}

/** The options offered once they are `expected`, or after 5 s those offered then. */
async function offeredOnce(page: Page, expected: readonly string[]): Promise<string[]> {
  const until = Date.now() + 5_000;
  for (;;) {
    const values = await offered(page);
    if (values.join() === expected.join() || Date.now() > until) return values;
    await page.waitForTimeout(100);
  }
}

/** Turns practice mode on or off (the box follows once the setting is stored). */
async function setPractice(page: Page, on: boolean): Promise<void> {
  const box = page.getByRole('checkbox', { name: TEXT.practiceMode });
  await box.click();
  await expect.poll(() => box.isChecked()).toBe(on);
}

describe('the home screen without a server', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('describes drafts, fits "Reprendre", counts in French and imports no plan', async () => {
    const { page, baseUrl } = app;
    await page.goto(baseUrl);
    await firstRun(page);
    // The quota plan comes from the server; nothing to import on the interviewer's home.
    expect.soft(await page.locator('input[type="file"]').count()).toBe(0);

    // A completed interview, then two left open: SMPG (a woman of 38), the demo (40).
    await startInterview(page, 'demo');
    expect((await answerUntil(page, DEMO_CALM)).stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await startInterview(page, 'smpg');
    await answerUntil(
      page,
      {
        elig_adult: '1',
        elig_zone: '1',
        elig_housing: '1',
        elig_first: '1',
        elig_consent: '1',
        sex: '2',
        age: 38,
      },
      { stopAt: 'occupation_said' },
    );
    await home(page, baseUrl);
    await startInterview(page, 'demo');
    await answerUntil(page, DEMO_CALM, { stopAt: 'activities' });
    await home(page, baseUrl);

    const drafts = page.getByRole('region', { name: TEXT.drafts });
    await drafts.locator('li').nth(1).waitFor();
    const [demoDraft, smpgDraft] = [drafts.locator('li').nth(0), drafts.locator('li').nth(1)];
    const smpgText = plain(await smpgDraft.textContent());
    const demoText = plain(await demoDraft.textContent());
    expect.soft(smpgText).toContain(SMPG_TITLE);
    expect.soft(smpgText).not.toMatch(/smpg version/);
    expect.soft(smpgText).toContain('Une femme, 35-44 ans');
    expect.soft(smpgText).toContain('Commencé à l’instant');
    expect.soft(smpgText).toContain('Dernière question : Quel est votre métier');
    expect.soft(demoText).toContain(DEMO_TITLE);
    expect.soft(demoText).toContain('35-44 ans');
    expect.soft(demoText).not.toContain('cette minute-ci');

    // "Reprendre" fits its button, within its card, at tablet and phone widths; names unique.
    for (const size of [TABLET, PHONE]) {
      await page.setViewportSize(size);
      const buttons = await resumeButtons(page);
      expect.soft(buttons, `${size.width} px`).toHaveLength(2);
      for (const button of buttons) {
        expect.soft(button.fits, `${button.name} at ${size.width} px`).toBe(true);
        expect.soft(button.inCard, `${button.name} at ${size.width} px`).toBe(true);
      }
      expect.soft(new Set(buttons.map((button) => button.name)).size).toBe(2);
      expect.soft(await runAxe(page, `home with drafts, ${size.width} px`)).toEqual([]);
    }
    await page.setViewportSize(TABLET);
    const names = (await resumeButtons(page)).map((button) => plain(button.name));
    expect
      .soft(names[1])
      .toBe(
        `${TEXT.resume} : ${SMPG_TITLE}, Une femme, 35-44 ans, commencé à l’instant, lieu : Place de la République`,
      );

    // Counts and sizes in French.
    const counts = plain(await page.locator('section.counts').textContent());
    expect.soft(counts).toContain('1 entretien complet aujourd’hui');
    expect.soft(counts).toContain('1 entretien complet au total');
    expect
      .soft(plain(await page.getByTestId('storage-space').textContent()))
      .toMatch(/^\d+(,\d)? (ko|Mo|Go) utilisés? · (\d+(,\d)? (ko|Mo|Go) libres?|\?)$/);

    // The same in English.
    await page.getByLabel(TEXT.interfaceLanguage).selectOption('en');
    await page.getByRole('region', { name: EN.drafts }).waitFor();
    const english = plain(await page.locator('main').textContent());
    expect.soft(english).toContain('1 completed interview today');
    expect.soft(english).toContain('Mental health in the general population');
    expect.soft(english).toContain('A woman, aged 35-44');
    expect
      .soft(plain(await page.getByTestId('storage-space').textContent()))
      .toMatch(/^\d+(\.\d)? (kB|MB|GB) used · (\d+(\.\d)? (kB|MB|GB) free|\?)$/);
    expect.soft(await runAxe(page, 'home in English')).toEqual([]);
    await page.getByLabel(EN.interfaceLanguage).selectOption('fr');
    await page.getByRole('region', { name: TEXT.drafts }).waitFor();
  });
});

describe('the home screen of a field tablet', () => {
  let server: CentralServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    server = await startCentralServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('names the site, offers its questionnaire, and stops a revoked tablet at the start', async () => {
    const { page } = browser;
    const { baseUrl, coordinator } = server;
    await page.goto(`${baseUrl}/`);
    await unlockIfLocked(page);
    await enrolTablet(page, server);

    // The site's name (from the server, at enrolment), not its id.
    const header = plain(await page.locator('.home-header').textContent());
    expect.soft(header).toContain('Site Lille');
    expect.soft(header).not.toContain('lille');

    // The site's plan is on the demo: only the demo is offered, every questionnaire in practice.
    expect.soft(await offeredOnce(page, ['demo'])).toEqual(['demo']);
    await setPractice(page, true);
    expect.soft(await offeredOnce(page, ['demo', 'smpg'])).toEqual(['demo', 'smpg']);
    await setPractice(page, false);
    expect
      .soft(plain(await page.getByRole('region', { name: TEXT.quotaPlan }).textContent()))
      .toContain('Plan de quotas du site Lille : 4 entretiens prévus.');
    expect.soft(await page.locator('input[type="file"]').count()).toBe(0);

    // The coordinator revokes the tablet; its next sync learns it.
    const [device] = await server.store.listDevices('lille');
    await server.api('POST', `/api/v1/sites/lille/devices/${device?.id}/revoke`, coordinator);
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await page.getByTestId('sync-blocked').waitFor({ timeout: 10_000 });

    // "Nouvel entretien" says why no interview can start and what to do; no interview opens.
    await page.getByRole('button', { name: TEXT.newInterview }).click();
    const refused = page.getByTestId('start-refused');
    const pickup = page.getByRole('heading', { level: 1, name: TEXT.pickupTitle });
    await refused.or(pickup).first().waitFor();
    expect.soft(await pickup.count()).toBe(0);
    expect.soft(plain(await refused.textContent())).toContain(TEXT.startRevoked);
    expect.soft(await refused.getByRole('button', { name: TEXT.reenrol }).count()).toBe(1);
    expect.soft(await runAxe(page, 'home, revoked tablet')).toEqual([]);
    if ((await pickup.count()) > 0) return;

    // Practice interviews are never sent: they may start.
    await setPractice(page, true);
    await page.getByRole('button', { name: TEXT.newInterview }).click();
    await pickup.waitFor();
  });
});
