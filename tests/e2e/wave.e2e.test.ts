// Setting up a wave from the dashboard, end to end, as a new team would: the server's first start
// (its printed admin login), an admin who creates a site with its settings, a coordinator and an
// analyst who each set their password through their one-time link; the coordinator uploads
// INSEE's infra-communal files, picks two communes, saves the plan, lists a pick-up point and
// makes an enrolment code; a tablet enrols, receives plan, helpline and pick-up point, and runs an
// SMPG interview whose suicide-risk alert shows the site's helpline and contact; the analyst
// exports the site and can change nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import { enrolmentLink } from '../../src/core/protocol/index.ts';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { DASHBOARD_TEXT, fill } from '../../src/dashboard/text.ts';
import { buildApp } from '../../src/server/app.ts';
import { bootstrap, publishShipped, serveApp } from '../../src/server/main.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { PERSONAS } from '../helpers/smpg-personas-2026.2.ts';
import { POLICIES } from '../helpers/smpg-personas.ts';
import {
  DIST,
  TABLET,
  TEXT as APP,
  answerCurrentScreen,
  completeInterview,
  currentScreen,
  launchBrowser,
  questionnaireFile,
  readIndexedDb,
  startInterview,
} from './harness.ts';

const TEXT = DASHBOARD_TEXT.fr;
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'census');
const SECRET = 'wave-e2e-server-secret-0123456789abcdef';
const HELPLINE = '0594 30 30 30';
const CONTACT = 'Dr Mireille Antoine';
const PLACE = 'Marché de Cayenne';

describe('a wave set up from the dashboard', () => {
  let dir: string;
  let store: SqliteStore;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let adminPassword: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpg-wave-e2e-'));
    store = new SqliteStore(join(dir, 'smpg.sqlite'));
    await store.migrate();
    const at = new Date().toISOString();
    await publishShipped(store, DIST, at);
    // What `npm start` prints on the first start.
    const printed = (await bootstrap(store, at, SECRET)) ?? [];
    const login = /admin login[^:]*: admin \/ (\S+)/.exec(printed.join('\n'));
    if (login?.[1] === undefined) throw new Error(`no admin login in: ${printed.join('\n')}`);
    adminPassword = login[1];
    server = await buildApp({ store, checkThreads: 0, serverSecret: SECRET });
    serveApp(server, DIST);
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh dashboard tab (its own sessionStorage), in French. */
  async function dashboardPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: TABLET,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      acceptDownloads: true,
    });
    return context.newPage();
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByRole('heading', { name: TEXT.loginTitle }).waitFor();
    await page.getByLabel(TEXT.username).fill(username);
    await page.getByLabel(TEXT.password).fill(password);
    await page.getByRole('button', { name: TEXT.logIn }).click();
  }

  /** Opens a one-time link, sets the password, and logs in with it. */
  async function useLink(link: string, username: string, password: string): Promise<Page> {
    const page = await dashboardPage();
    await page.goto(link);
    await page.getByRole('heading', { name: TEXT.linkTitle }).waitFor();
    // The token leaves the address bar at once.
    expect(page.url()).toBe(`${base}/dashboard/`);
    expect(await page.getByLabel(TEXT.username).inputValue()).toBe(username);
    await page.getByLabel(TEXT.newPassword).fill(password);
    await page.getByLabel(TEXT.confirmPassword).fill(password);
    await page.getByRole('button', { name: TEXT.linkSubmit }).click();
    await page.getByRole('heading', { name: TEXT.loginTitle }).waitFor();
    expect(await page.getByLabel(TEXT.username).inputValue()).toBe(username);
    await page.getByLabel(TEXT.password).fill(password);
    await page.getByRole('button', { name: TEXT.logIn }).click();
    return page;
  }

  /** The admin's "Utilisateurs" form: a new user, and the one-time link shown once. */
  async function createUser(
    page: Page,
    username: string,
    roles: (form: ReturnType<Page['locator']>) => Promise<void>,
  ): Promise<string> {
    const form = page.getByRole('form', { name: TEXT.userCreateTitle });
    await form.getByLabel(TEXT.username, { exact: true }).fill(username);
    await roles(form);
    await form.getByRole('button', { name: TEXT.userCreate }).click();
    const link = await page.getByLabel(TEXT.linkCardLink).inputValue();
    expect(link).toMatch(new RegExp(`^${base}/dashboard/#link=`));
    await page.getByRole('button', { name: TEXT.linkCardDone }).click();
    await page.locator('table[data-table="users"]').getByText(username, { exact: true }).waitFor();
    return link;
  }

  let coordinatorLink: string;
  let analystLink: string;
  let enrolmentCode: string;

  it('lets the admin create a site and its two users, each with a one-time link', async () => {
    const page = await dashboardPage();
    await page.goto(`${base}/dashboard/`);
    await logIn(page, 'admin', adminPassword);

    await page.getByRole('heading', { name: TEXT.siteCreateTitle }).waitFor();
    const create = page.getByRole('form', { name: TEXT.siteCreateTitle });
    await create.getByLabel(TEXT.siteId).fill('cayenne');
    await create.getByLabel(TEXT.siteName).fill('Cayenne');
    await create.getByLabel(TEXT.siteTimeZone).fill('America/Cayenne');
    await create.getByLabel(TEXT.siteHelpline).fill(HELPLINE);
    await create.getByRole('button', { name: TEXT.siteCreate }).click();
    await page.locator('table[data-table="sites"] tr', { hasText: 'cayenne' }).waitFor();
    const site = await store.getSite('cayenne');
    expect(site).toMatchObject({
      name: 'Cayenne',
      timeZone: 'America/Cayenne',
      helpline: HELPLINE,
    });

    await page.getByRole('link', { name: TEXT.navUsers }).click();
    await page.getByRole('form', { name: TEXT.userCreateTitle }).waitFor();
    coordinatorLink = await createUser(page, 'coord-cayenne', async (form) => {
      await form
        .getByLabel(fill(TEXT.siteRoleLabel, { site: 'Cayenne' }))
        .selectOption({ label: TEXT.roleCoordinator });
    });
    analystLink = await createUser(page, 'analyse', async (form) => {
      await form.getByLabel(TEXT.analystEverySite).check();
    });
    const users = await store.listUsers();
    expect(users.find((user) => user.username === 'coord-cayenne')).toMatchObject({
      admin: false,
      grants: [{ site: 'cayenne', role: 'coordinator' }],
      passwordHash: null,
    });
    expect(users.find((user) => user.username === 'analyse')?.grants).toEqual([
      { site: '*', role: 'analyst' },
    ]);
    await page.context().close();
  });

  it('lets the coordinator set the site up: contacts, census plan, pick-up point, a code', async () => {
    const page = await useLink(coordinatorLink, 'coord-cayenne', 'cayenne-coordination-2026');
    // One site: its page opens at once.
    await page.getByRole('heading', { name: 'Cayenne', level: 1 }).waitFor();

    // A protocol contact for the suicide-risk alert.
    await page.getByRole('button', { name: TEXT.contactAdd }).click();
    await page.getByLabel(fill(TEXT.contactNameLabel, { n: 1 })).fill(CONTACT);
    await page.getByLabel(fill(TEXT.contactRoleLabel, { n: 1 })).fill('psychologue référente');
    await page.getByLabel(fill(TEXT.contactPhoneLabel, { n: 1 })).fill('0594 11 22 33');
    await page.getByRole('button', { name: TEXT.settingsSave }).click();
    await page.getByText(TEXT.settingsSaved).waitFor();
    expect((await store.getSite('cayenne'))?.protocolContacts).toEqual([
      { name: CONTACT, role: 'psychologue référente', phone: '0594 11 22 33' },
    ]);

    // INSEE's infra-communal bases, as downloaded; the zone is two communes of the files.
    await page
      .getByLabel(TEXT.censusFiles)
      .setInputFiles([
        join(FIXTURES, 'made-up-base-ic-evol-struct-pop-2021.csv'),
        join(FIXTURES, 'made-up-base-ic-diplomes-formation-2021.csv'),
      ]);
    const zones = page.getByTestId('census-zones');
    await zones.getByRole('checkbox', { name: '97302', exact: true }).check();
    await zones.getByRole('checkbox', { name: '97307', exact: true }).check();
    await page.getByRole('button', { name: TEXT.censusPreview }).click();
    const tables = page.locator('table[data-table^="census-plan-"]');
    await tables.first().waitFor();
    expect(await tables.count()).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: TEXT.censusSave }).click();
    await page.getByText(TEXT.censusSaved).waitFor();
    const plan = (await store.getSite('cayenne'))?.plan as {
      site: string;
      sampleSize: number;
      tables: { id: string; cells: { target: number }[] }[];
    };
    expect(plan.site).toBe('cayenne');
    for (const table of plan.tables) {
      expect(
        table.cells.reduce((sum, cell) => sum + cell.target, 0),
        table.id,
      ).toBe(900);
    }

    // A pick-up point, and a code for the tablet.
    const points = page.locator('#pickup-points');
    await points.getByLabel(TEXT.pickupNew).fill(PLACE);
    await points.getByRole('button', { name: TEXT.pickupAdd, exact: true }).click();
    await page.getByText(TEXT.pickupSaved).waitFor();
    await page.getByRole('button', { name: TEXT.enrolCreate }).click();
    const shown = page.locator('.enrolment-code');
    await shown.waitFor();
    enrolmentCode = (await shown.textContent()) ?? '';
    expect(enrolmentCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await page.context().close();
  });

  it('enrols a tablet that receives the plan, the helpline and the pick-up point', async () => {
    // New interviews start on the newest version: 2026.2, whose high-risk persona this is.
    const id = 'thoughts_and_past_attempt_high_risk';
    const persona = PERSONAS.find((candidate) => candidate.id === id);
    if (persona === undefined) throw new Error(`persona ${id} is missing`);
    const expected = runInterview(questionnaireFile('smpg', '2026.2'), persona.script, {
      policy: POLICIES[persona.policy],
    });
    const script: Record<string, Answer> = Object.fromEntries(expected.state.answers);

    const tablet = await launchBrowser();
    try {
      const { page } = tablet;
      await page.goto(enrolmentLink(base, enrolmentCode));
      await page.getByRole('heading', { name: APP.enrolTitle }).waitFor();
      // Nobody types the helpline: the enrolment screen has no such field.
      expect(await page.getByLabel(/aide|helpline/i).count()).toBe(0);
      await page.getByLabel(APP.interviewer).fill('ENQ-01');
      await page.getByRole('button', { name: APP.enrol, exact: true }).click();
      await page.getByRole('button', { name: APP.newInterview }).waitFor();
      await expect
        .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 15_000 })
        .not.toBe(APP.syncNever);
      expect(await page.locator('.home-header').textContent()).toContain('Cayenne');

      const interviewId = await startInterview(page, 'smpg', PLACE);
      expect(interviewId).toMatch(/^[0-9a-f-]{36}$/);
      // Through the interview: its suicide-risk alert gives the site's number and contact.
      const shown: { helpline: string; contacts: string }[] = [];
      const onAlert = async (dialog: Locator) => {
        shown.push({
          helpline: (await dialog.getByTestId('alert-helpline').textContent()) ?? '',
          contacts: (await dialog.getByTestId('alert-contacts').textContent()) ?? '',
        });
      };
      for (let guard = 0; guard < 1_000; guard++) {
        const screen = await currentScreen(page);
        if (screen.kind === 'review') break;
        if (screen.kind !== 'item' && screen.kind !== 'alert')
          throw new Error(`the interview ended on ${screen.kind}`);
        await answerCurrentScreen(page, script, onAlert);
      }
      expect(shown).toHaveLength(persona.expected.alerts.length);
      expect(shown[0]?.helpline).toContain(HELPLINE);
      expect(shown[0]?.contacts).toContain(CONTACT);
      expect(shown[0]?.contacts).toContain('0594 11 22 33');
      await completeInterview(page);
      // Sent to the server, counted in the site's quotas.
      await page.getByRole('button', { name: APP.backHome }).click();
      await page.getByRole('button', { name: APP.syncNow }).click();
      await expect
        .poll(async () => (await store.quotaRows('cayenne')).length, { timeout: 20_000 })
        .toBe(1);
      expect(await store.listRefused('cayenne')).toEqual([]);

      // The plan and the settings are kept on the tablet, for the hours it is offline.
      const [kept] = await readIndexedDb<{
        quotaPlan?: { site: string; tables: unknown[] };
        siteSettings?: { helpline: string; timeZone: string };
      }>(page, 'settings');
      expect(kept?.quotaPlan?.site).toBe('cayenne');
      expect(kept?.siteSettings).toMatchObject({ helpline: HELPLINE, timeZone: 'America/Cayenne' });
    } finally {
      await tablet.close();
    }
    const devices = await store.listDevices('cayenne');
    expect(devices).toHaveLength(1);
  });

  it('lets the analyst export the site and change nothing', async () => {
    const page = await useLink(analystLink, 'analyse', 'analyse-de-donnees-2026');
    await page.getByRole('heading', { name: TEXT.sitesTitle }).waitFor();
    await page.getByRole('link', { name: /Cayenne/ }).click();
    await page.getByRole('heading', { name: 'Cayenne', level: 1 }).waitFor();
    // The site's settings are shown, not editable; no census, codes or pick-up points to change.
    await page.getByText(HELPLINE).first().waitFor();
    for (const button of [
      TEXT.settingsSave,
      TEXT.censusPreview,
      TEXT.enrolCreate,
      TEXT.pickupAdd,
    ]) {
      expect(await page.getByRole('button', { name: button }).count(), button).toBe(0);
    }
    expect(await page.locator('#settings input, #settings select').count()).toBe(0);

    // The export is theirs: the tablet's interview, and its codebook.
    const panel = page.locator('#export');
    await panel.getByLabel(TEXT.exportQuestionnaire).selectOption('smpg');
    await panel.getByLabel(TEXT.exportFormat).selectOption('excel_fr');
    const save = async (button: string): Promise<string[][]> => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: button }).click(),
      ]);
      const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
      const parsed = Papa.parse<string[]>(text, { delimiter: ';', skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      return parsed.data;
    };
    const [header, ...rows] = await save(TEXT.exportInterviews);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[header?.indexOf('site') ?? -1]).toBe('cayenne');
    expect((await save(TEXT.exportCodebook)).length).toBeGreaterThan(100);

    // And the server refuses the analyst's token every change, whatever the page shows.
    const token = await page.evaluate(() => {
      for (let i = 0; i < sessionStorage.length; i++) {
        const value = sessionStorage.getItem(sessionStorage.key(i) ?? '') ?? '';
        if (value.includes('"token"')) return (JSON.parse(value) as { token: string }).token;
      }
      return '';
    });
    expect(token).not.toBe('');
    const refused = await page.evaluate(
      async ({ token }) => {
        const call = (method: string, url: string, body?: unknown) =>
          fetch(`/api/v1${url}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }).then((response) => response.status);
        return [
          await call('PUT', '/sites/cayenne/pickup-points', { pickupPoints: [] }),
          await call('POST', '/sites/cayenne/enrolment-codes'),
          await call('PUT', '/sites/cayenne/closed', { closed: true }),
          await call('POST', '/users', { username: 'intrus', admin: true, grants: [] }),
        ];
      },
      { token },
    );
    expect(refused).toEqual([403, 403, 403, 403]);
    expect((await store.getSite('cayenne'))?.pickupPoints).toEqual([PLACE]);
    await page.context().close();
  });
});
