// Pictures of every screen of the tablet app and the coordinator dashboard, in French, at tablet
// (1024x768) and phone (390x844) sizes, each of which must fit its width: the engine of
// `npm run screenshots` (scripts/screenshots.ts), which sets SCREENSHOTS_DIR to docs/screenshots/;
// in the end-to-end suite they go to test-results/screenshots/, for a person to look at.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/serve.ts';
import { generateInterviews } from '../../scripts/generate-interviews.ts';
import { LOCK_TEXT } from '../../src/app/lock-text.ts';
import { enrolmentLink } from '../../src/core/protocol/index.ts';
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { planFromCensusFiles } from '../../src/core/quota/census-files.ts';
import { DASHBOARD_TEXT } from '../../src/dashboard/text.ts';
import { createUser } from '../../src/server/app.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { PERSONAS } from '../helpers/smpg-personas-2026.2.ts';
import { POLICIES } from '../helpers/smpg-personas.ts';
import type { CentralServer } from './central-server.ts';
import type { AxeViolation } from './harness.ts';
import { startCentralServer } from './central-server.ts';
import {
  PHONE,
  TABLET,
  TEXT,
  answerCurrentScreen,
  answerUntil,
  completeInterview,
  currentScreen,
  interviewIdOf,
  launchBrowser,
  pickupOption,
  questionnaireFile,
  runAxe,
} from './harness.ts';
import { TABLET_PIN } from './tablet-pin.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FOLDER = resolve(ROOT, process.env['SCREENSHOTS_DIR'] ?? 'test-results/screenshots');
const CENSUS = join(ROOT, 'tests', 'fixtures', 'census');
const LOCK = LOCK_TEXT.fr;
const BOARD = DASHBOARD_TEXT.fr;
const SMPG = questionnaireFile('smpg', '2026.2');
/**
 * The tablet's interviewer: one of the four the generated interviews name, as the server shares the
 * plan's cells among the interviewers it knows of and would turn away a newcomer's respondents.
 */
const INTERVIEWER = 'ENQ01';

const VIEWPORTS = [
  { name: 'tablet', size: TABLET },
  { name: 'phone', size: PHONE },
] as const;

/** Every picture, in the order a person meets the screens, and what it shows (the index's words). */
const SHOTS = [
  [
    'app-01-lock-create',
    'Lock, first start',
    'The PIN chosen at the first start: the tablet encrypts its interviews with it.',
  ],
  [
    'app-02-enrolment',
    'Enrolment',
    'Opened from the dashboard’s link or QR code: the server and the one-time code filled in, the interviewer types their code.',
  ],
  [
    'app-03-setup',
    'Set-up without a server',
    '"Utiliser sans serveur" (demonstration, training): site and interviewer codes, each with its format and an example.',
  ],
  [
    'app-04-pickup-point',
    'Pick-up point',
    'Where the interviewer stands, from the site’s list, before each interview.',
  ],
  [
    'app-05-question',
    'A question',
    'The first eligibility question of the SMPG questionnaire (single choice).',
  ],
  [
    'app-06-grid',
    'A grid',
    'The 20-row grid of the representations block: one question, the same choices for every row.',
  ],
  [
    'app-07-alert',
    'Suicide-risk alert',
    'The protocol raised by the answers: the site’s helpline and contact, what the interviewer did.',
  ],
  ['app-08-review', 'Review', 'Before the end: what was answered, the questions left unanswered.'],
  ['app-09-end', 'End of the interview', 'The completed interview, ready to be sent.'],
  [
    'app-10-home',
    'Home',
    'The top of the home screen: the site, the interviewer, a new interview.',
  ],
  [
    'app-11-home-drafts',
    'Home, further down',
    'Two interviews in progress, today’s completed interview, the sync status.',
  ],
  ['app-12-quotas', 'Quotas', 'The site’s quota cells after the tablet’s last sync.'],
  [
    'app-13-export',
    'Device export',
    'The tablet’s own CSV export, the fallback when it cannot reach the server.',
  ],
  [
    'app-14-settings',
    'Settings',
    '"Réglages": the interviewer code; the site comes from the server.',
  ],
  [
    'app-15-lock-unlock',
    'Lock, every start',
    'The PIN asked at every start and after minutes without use.',
  ],
  ['dashboard-01-login', 'Dashboard login', 'The coordination’s login page.'],
  ['dashboard-02-site-picker', 'Site picker', 'A coordinator following two sites chooses one.'],
  [
    'dashboard-03-site',
    'Site page',
    'The top of a site’s page: its sections, then quotas, interviewers, quality, days.',
  ],
  [
    'dashboard-04-alerts',
    'Alerts',
    'The safety protocol’s alerts: when, who, what the interviewer did.',
  ],
  [
    'dashboard-05-enrolment-code',
    'Enrolment code',
    'A one-time code for a new tablet, as text, link and QR code.',
  ],
  ['dashboard-06-exports', 'Exports', 'The analysts’ CSV files, codebook, margins and scripts.'],
  [
    'dashboard-07-admin-sites',
    'Admin: sites',
    'The admin’s page: every site, and the form that creates one.',
  ],
  [
    'dashboard-08-admin-users',
    'Admin: users',
    'The admin’s users, their roles, and the form that creates one.',
  ],
  [
    'dashboard-09-admin-questionnaires',
    'Admin: questionnaires',
    'The published versions, and a new one published from an XLSForm workbook.',
  ],
] as const satisfies readonly (readonly [string, string, string])[];
type ShotId = (typeof SHOTS)[number][0];

const fileOf = (id: ShotId, viewport: (typeof VIEWPORTS)[number]['name']) =>
  `${id}-${viewport}.png`;

/** Width and height from a PNG's header (IHDR), or undefined if the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature)) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The folder's index: each picture and what it shows, formatted as `npm run format` would. */
async function indexText(): Promise<string> {
  const section = (prefix: string) =>
    SHOTS.filter(([id]) => id.startsWith(prefix)).flatMap(([id, title, shows]) => [
      `### ${title}`,
      '',
      shows,
      '',
      `<img src="${fileOf(id, 'tablet')}" alt="${title}, tablet" width="512"> ` +
        `<img src="${fileOf(id, 'phone')}" alt="${title}, phone" width="195">`,
      '',
      `[${fileOf(id, 'tablet')}](${fileOf(id, 'tablet')}), [${fileOf(id, 'phone')}](${fileOf(id, 'phone')})`,
      '',
    ]);
  const text = [
    '# Screenshots',
    '',
    'Every screen of the interviewer app and of the coordinator dashboard, in French, at tablet',
    '(1024 × 768) and phone (390 × 844) sizes, so that reviewers see the product without running it.',
    'Made by `npm run screenshots` (scripts/screenshots.ts, tests/e2e/screenshots.e2e.test.ts): the',
    'pictures and this index are written anew on each run, do not edit them by hand.',
    '',
    'The tablet is enrolled with a real server (site Lille, SMPG quota plan from census files, 60',
    'generated interviews of four interviewers over two weeks); it runs a complete SMPG interview that',
    'raises the suicide-risk alert, then leaves two interviews in progress. Each picture is what the',
    'screen shows in its first view, without scrolling, unless it names a section further down.',
    '',
    '## Interviewer app',
    '',
    ...section('app-'),
    '## Coordinator dashboard',
    '',
    ...section('dashboard-'),
  ].join('\n');
  const options = await prettier.resolveConfig(join(FOLDER, 'README.md'));
  return prettier.format(text, { ...options, parser: 'markdown' });
}

/**
 * In the page: undefined if the document fits the window's width, else by how much it does not
 * and the innermost elements that stick out (what to fix).
 */
function sidewaysOverflow(): string | undefined {
  const width = document.documentElement.clientWidth;
  const excess = document.documentElement.scrollWidth - width;
  if (excess <= 0) return undefined;
  const out = (element: Element) => element.getBoundingClientRect().right > width + 0.5;
  // What a scrolling box holds sticks out of the window without widening the page: not a culprit.
  const clipped = (element: Element): boolean => {
    for (let up = element.parentElement; up !== null; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll('*')]
    .filter((element) => out(element) && !clipped(element) && ![...element.children].some(out))
    .slice(0, 3)
    .map((element) => {
      const classes = [...element.classList].map((name) => `.${name}`).join('');
      const words = (element.textContent ?? '').trim().slice(0, 30);
      return `${element.tagName.toLowerCase()}${classes} "${words}"`;
    });
  return `${excess} px too wide (${culprits.join(', ')})`;
}

/** Waits until the page has laid itself out at its new size. */
function settled(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

describe('screenshots', () => {
  let server: CentralServer;
  let tablet: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  const written: { file: string; width: number; height: number }[] = [];
  /** Pages whose document is wider than the window: a tablet or phone would scroll sideways. */
  const overflows: string[] = [];
  /** What axe-core (WCAG A/AA and its best practices) finds on each screen, at each size. */
  const violations: AxeViolation[] = [];

  /** Writes the screen at both sizes; `at`: the part of a long page to show at the top. */
  async function shoot(page: Page, id: ShotId, at?: Locator): Promise<void> {
    for (const { name, size } of VIEWPORTS) {
      await page.setViewportSize(size);
      await settled(page);
      if (at !== undefined) {
        await at.evaluate((element) => {
          element.scrollIntoView({ block: 'start' });
          // A little of what comes before: the part does not start at the very edge.
          window.scrollBy(0, -16);
        });
        await settled(page);
      }
      const overflow = await page.evaluate(sidewaysOverflow);
      if (overflow !== undefined) overflows.push(`${id} at ${name} width: ${overflow}`);
      violations.push(...(await runAxe(page, `${id} (${name})`)));
      const file = join(FOLDER, fileOf(id, name));
      await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      written.push({ file, ...size });
    }
    await page.setViewportSize(TABLET);
    await settled(page);
  }

  beforeAll(async () => {
    mkdirSync(FOLDER, { recursive: true });
    // Pictures of screens that are no longer shot would stay otherwise.
    for (const name of readdirSync(FOLDER)) if (name.endsWith('.png')) rmSync(join(FOLDER, name));
    server = await startCentralServer();
    tablet = await launchBrowser({ typePin: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await tablet?.close();
    await server?.close();
  });

  it('sets the site up as a coordinator would: plan, helpline, pick-up points, past interviews', async () => {
    const { api, coordinator } = server;
    const preview = planFromCensusFiles({
      files: [
        'made-up-base-ic-evol-struct-pop-2021.csv',
        'made-up-base-ic-diplomes-formation-2021.csv',
      ].map((name) => ({ name, text: readFileSync(join(CENSUS, name), 'utf8') })),
      zone: ['97302', '97307'],
      bands: '18-29,30-44,45-59,60-74,75+',
      size: 900,
      tolerance: 0.05,
      site: 'lille',
      questionnaire: 'smpg',
    });
    expect(preview.plan).toBeDefined();
    await api('PUT', '/api/v1/sites/lille/quota-plan', coordinator, preview.plan);
    await api('PUT', '/api/v1/sites/lille/settings', coordinator, {
      name: 'Lille',
      timeZone: 'Europe/Paris',
      helpline: '3114',
      protocolContacts: [
        { name: 'Dr Claire Martin', role: 'psychologue référente', phone: '03 20 44 55 66' },
      ],
      shortInterviewSeconds: 20 * 60,
      languages: ['fr'],
      sampleSize: 900,
      tolerance: 0.05,
    });
    await api('PUT', '/api/v1/sites/lille/pickup-points', coordinator, {
      pickupPoints: ['Place de la République', 'Gare Lille-Flandres', 'Marché de Wazemmes'],
    });
    // Two weeks of fieldwork by four interviewers, sent by a tablet of theirs.
    const { code } = (await api('POST', '/api/v1/sites/lille/enrolment-codes', coordinator)) as {
      code: string;
    };
    const { token } = (await api('POST', '/api/v1/devices/enrol', undefined, {
      code,
      label: 'Tablette A',
    })) as { token: string };
    const start = new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10);
    const records: InterviewRecordWire[] = [
      ...generateInterviews({
        questionnaire: SMPG,
        site: 'lille',
        count: 60,
        plan: preview.plan,
        interviewers: 4,
        start,
        days: 14,
        appVersion: '0.1.0',
      }),
    ];
    const answer = await api('POST', '/api/v1/records', token, { records, pending: 0 });
    const statuses = (answer['results'] as { status: string }[]).map((result) => result.status);
    expect(statuses.filter((status) => status !== 'accepted')).toEqual([]);
    // A second site, so that a coordinator following both picks one; and an admin.
    const at = new Date().toISOString();
    await server.store.createSite({
      id: 'roubaix',
      name: 'Roubaix',
      plan: null,
      shortInterviewSeconds: 20 * 60,
      createdAt: at,
    });
    await createUser(
      server.store,
      'coordination',
      'coordination-nord-2026',
      {
        admin: false,
        grants: [
          { site: 'lille', role: 'coordinator' },
          { site: 'roubaix', role: 'coordinator' },
        ],
      },
      at,
    );
    await createUser(server.store, 'admin', 'administration-2026', { admin: true, grants: [] }, at);
  });

  it('shoots the tablet app, from its first start to a locked restart', async () => {
    const { page } = tablet;
    const { baseUrl, coordinator } = server;
    const typePin = async (again: boolean) => {
      await page.getByLabel(LOCK.pin, { exact: true }).fill(TABLET_PIN);
      if (again) await page.getByLabel(LOCK.pinAgain).fill(TABLET_PIN);
      await page.locator('main[data-lock] button[type="submit"]').click();
    };
    const home = async () => {
      await page.evaluate(() => {
        window.location.hash = '#/';
      });
      await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    };
    const scriptOf = (id: string): Record<string, Answer> => {
      const persona = PERSONAS.find((candidate) => candidate.id === id);
      if (persona === undefined) throw new Error(`persona ${id} is missing`);
      const run = runInterview(SMPG, persona.script, { policy: POLICIES[persona.policy] });
      return Object.fromEntries(run.state.answers);
    };
    /** Starts an SMPG interview at the pick-up point; returns the interview's id. */
    const startSmpg = async (place: string, onPickup?: () => Promise<void>) => {
      const picker = page.getByRole('combobox', { name: new RegExp(`^${TEXT.questionnaire}\\b`) });
      if ((await picker.count()) > 0) await picker.selectOption('smpg');
      await page.getByRole('button', { name: TEXT.newInterview }).click();
      await page.getByRole('heading', { level: 1, name: TEXT.pickupTitle }).waitFor();
      await pickupOption(page, place).check();
      await onPickup?.();
      await page.getByRole('button', { name: TEXT.pickupStart }).click();
      await page.waitForURL(/#\/interview\/[0-9a-f-]{36}$/);
      return interviewIdOf(page);
    };

    // First start, from the dashboard's link: the PIN, then enrolment (and its offline twin).
    const { code } = (await server.api(
      'POST',
      '/api/v1/sites/lille/enrolment-codes',
      coordinator,
    )) as { code: string };
    await page.goto(enrolmentLink(baseUrl, code));
    await page.getByRole('heading', { level: 1, name: LOCK.createTitle }).waitFor();
    await shoot(page, 'app-01-lock-create');
    await typePin(true);
    await page.getByRole('heading', { level: 1, name: TEXT.enrolTitle }).waitFor();
    await page.getByLabel(TEXT.interviewer).fill(INTERVIEWER);
    await shoot(page, 'app-02-enrolment');
    await page.getByRole('button', { name: TEXT.useWithoutServer }).click();
    await page.getByLabel(TEXT.site).waitFor();
    await shoot(page, 'app-03-setup');
    await page.getByRole('button', { name: TEXT.enrolInstead }).click();
    await page.getByLabel(TEXT.interviewer).fill(INTERVIEWER);
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    // The site's plan and settings come with the first sync.
    await expect
      .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 20_000 })
      .not.toBe(TEXT.syncNever);

    // A complete interview whose answers raise the suicide-risk alert.
    const complete = scriptOf('thoughts_and_past_attempt_high_risk');
    const id = await startSmpg('Gare Lille-Flandres', () => shoot(page, 'app-04-pickup-point'));
    const shot = new Set<ShotId>();
    const once = async (shotId: ShotId) => {
      if (shot.has(shotId)) return;
      shot.add(shotId);
      await shoot(page, shotId);
    };
    for (let guard = 0; guard < 1_000; guard++) {
      const screen = await currentScreen(page);
      if (screen.kind === 'review') break;
      if (screen.kind !== 'item' && screen.kind !== 'alert')
        throw new Error(
          `the interview ended: ${JSON.stringify(screen)} ${await page.locator('main').textContent()}`,
        );
      if (screen.kind === 'item' && screen.id === 'elig_adult') await once('app-05-question');
      if (screen.kind === 'item' && screen.id === 'rep_behaviour') await once('app-06-grid');
      await answerCurrentScreen(page, complete, () => once('app-07-alert'));
    }
    expect([...shot]).toEqual(['app-05-question', 'app-06-grid', 'app-07-alert']);
    await page.locator('#review-title').waitFor();
    await shoot(page, 'app-08-review');
    await completeInterview(page);
    await shoot(page, 'app-09-end');
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await expect
      .poll(async () => (await server.store.getRecord(id))?.status, { timeout: 20_000 })
      .toBe('completed');

    // Two interviews left in progress, past the quota questions.
    for (const [persona, place] of [
      ['older_person', 'Place de la République'],
      ['immigrant', 'Marché de Wazemmes'],
    ] as const) {
      await startSmpg(place);
      const script = scriptOf(persona);
      const run = await answerUntil(page, script, { stopAt: 'rep_intro' });
      expect(run.stoppedOn).toEqual({ kind: 'item', id: 'rep_intro' });
      await home();
    }
    await page
      .getByRole('button', { name: new RegExp(TEXT.resume) })
      .nth(1)
      .waitFor();
    await shoot(page, 'app-10-home');
    await shoot(
      page,
      'app-11-home-drafts',
      page.locator('section').filter({ has: page.getByRole('heading', { name: TEXT.drafts }) }),
    );

    // The screens home leads to, each once its content has loaded.
    for (const [route, shotId, ready] of [
      ['#/quotas', 'app-12-quotas', page.locator('main.quotas section.card').first()],
      ['#/export', 'app-13-export', page.getByTestId('export-counts')],
      ['#/setup', 'app-14-settings', page.getByRole('heading', { level: 1, name: TEXT.settings })],
    ] as const) {
      await page.evaluate((hash) => {
        window.location.hash = hash;
      }, route);
      await ready.waitFor();
      await shoot(page, shotId);
      await home();
    }

    // Started again: locked until the PIN.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: LOCK.lockedTitle }).waitFor();
    await shoot(page, 'app-15-lock-unlock');
    await typePin(false);
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
  }, 900_000);

  it('shoots the dashboard: login, sites, a site’s sections, a code, the admin’s pages', async () => {
    const context = await browser.newContext({
      viewport: TABLET,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const page = await context.newPage();
    const logIn = async (username: string, password: string) => {
      await page.getByRole('heading', { name: BOARD.loginTitle }).waitFor();
      await page.getByLabel(BOARD.username).fill(username);
      await page.getByLabel(BOARD.password).fill(password);
      await page.getByRole('button', { name: BOARD.logIn }).click();
    };
    try {
      await page.goto(`${server.baseUrl}/dashboard/`);
      await page.getByRole('heading', { name: BOARD.loginTitle }).waitFor();
      await shoot(page, 'dashboard-01-login');
      await logIn('coordination', 'coordination-nord-2026');
      await page.getByRole('heading', { name: BOARD.sitesTitle }).waitFor();
      await shoot(page, 'dashboard-02-site-picker');
      await page.getByRole('link', { name: /Lille/ }).click();
      await page.getByRole('heading', { name: 'Lille', level: 1 }).waitFor();
      await page.locator('table[data-table="alerts"] tbody tr').first().waitFor();
      await shoot(page, 'dashboard-03-site');
      await shoot(page, 'dashboard-04-alerts', page.locator('#alerts'));
      await page.getByRole('button', { name: BOARD.enrolCreate }).click();
      const result = page.locator('.enrolment-result');
      await result.waitFor();
      await shoot(page, 'dashboard-05-enrolment-code', result);
      await shoot(page, 'dashboard-06-exports', page.locator('#export'));
      await page.getByRole('button', { name: BOARD.logOut }).click();
      await page.goto(`${server.baseUrl}/dashboard/`);

      await logIn('admin', 'administration-2026');
      await page.getByRole('heading', { name: BOARD.siteCreateTitle }).waitFor();
      await shoot(page, 'dashboard-07-admin-sites');
      await page.getByRole('link', { name: BOARD.navUsers }).click();
      await page.getByRole('form', { name: BOARD.userCreateTitle }).waitFor();
      await shoot(page, 'dashboard-08-admin-users');
      await page.getByRole('link', { name: BOARD.navQuestionnaires }).click();
      await page.locator('[data-panel="xlsform"]').waitFor();
      await shoot(page, 'dashboard-09-admin-questionnaires');
    } finally {
      await context.close();
    }
  }, 300_000);

  it('writes every picture at its size, each fitting its width, and their index', async () => {
    expect(written.map(({ file }) => file)).toEqual(
      SHOTS.flatMap(([id]) => VIEWPORTS.map(({ name }) => join(FOLDER, fileOf(id, name)))),
    );
    for (const { file, width, height } of written) {
      const bytes = readFileSync(file);
      expect(bytes.length, file).toBeGreaterThan(1_000);
      expect(pngSize(bytes), file).toEqual({ width, height });
    }
    writeFileSync(join(FOLDER, 'README.md'), await indexText());
    // Nothing may stick out sideways: a tablet or phone must never scroll horizontally.
    expect(overflows).toEqual([]);
    // Every screen of the app and the dashboard, at both sizes, passes axe-core.
    expect(violations).toEqual([]);
  });
});
