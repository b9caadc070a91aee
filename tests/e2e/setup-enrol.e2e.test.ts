// Issue #25's wording of set-up and enrolment, end to end against the real server: "Obligatoire"
// for what was left empty, each code's format told by a hint tied to its field, an enrolment
// refusal that goes once the code is corrected (and is announced when it comes), and the home
// screen's "Réglages" leading to a screen titled so; axe on each.
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import type { AxeViolation } from './harness.ts';
import { TEXT, launchBrowser, runAxe } from './harness.ts';

/** What a screen reader reads after the field's name: the elements its aria-describedby names. */
function descriptionOf(field: Locator): Promise<string> {
  return field.evaluate((input) =>
    (input.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id !== '')
      .map((id) => document.getElementById(id)?.textContent ?? `(no #${id})`)
      .join(' | '),
  );
}

describe('set-up and enrolment wording', () => {
  let server: CentralServer;
  let tablet: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startCentralServer();
    tablet = await launchBrowser();
  });
  afterAll(async () => {
    await tablet?.close();
    await server?.close();
  });

  it('says "Obligatoire", ties the hints, clears a refusal once corrected, titles "Réglages"', async () => {
    const { page } = tablet;
    const violations: AxeViolation[] = [];
    const enrol = page.getByRole('button', { name: TEXT.enrol, exact: true });
    const code = page.getByLabel(TEXT.enrolCode);
    const interviewer = page.getByLabel(TEXT.interviewer);
    await page.goto(server.baseUrl);
    await enrol.waitFor();

    // Nothing typed: each empty field says so, in its own words, tied to it.
    await enrol.click();
    await page.getByRole('alert').filter({ hasText: TEXT.fieldRequired }).nth(1).waitFor();
    expect(await descriptionOf(code)).toBe(`${TEXT.enrolCodeHelp} | ${TEXT.fieldRequired}`);
    expect(await descriptionOf(interviewer)).toBe(
      `${TEXT.interviewerHint} | ${TEXT.fieldRequired}`,
    );
    expect(await page.getByText(TEXT.enrolCodeInvalid).count()).toBe(0);
    violations.push(...(await runAxe(page, 'enrolment, empty fields')));

    // A well-formed code the server does not know: refused, announced.
    await code.fill('ABCD-2345');
    await interviewer.fill('ENQ-07');
    await enrol.click();
    const refusal = page.getByRole('alert').filter({ hasText: TEXT.enrolBadCode });
    await refusal.waitFor();
    violations.push(...(await runAxe(page, 'enrolment refused')));
    // Another field edited: the code is still the refused one, the message stays.
    await interviewer.fill('ENQ-08');
    expect(await refusal.count()).toBe(1);
    // The code corrected: the message no longer describes the form, it goes.
    const { code: good } = (await server.api(
      'POST',
      '/api/v1/sites/lille/enrolment-codes',
      server.coordinator,
    )) as { code: string };
    await code.fill(good);
    await refusal.waitFor({ state: 'detached' });
    expect(await page.getByTestId('enrol-failure').count()).toBe(0);

    // Without a server: the first start's own title, the site's format told with an example.
    await page.getByRole('button', { name: TEXT.useWithoutServer }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.setupTitle }).waitFor();
    const site = page.getByLabel(TEXT.site);
    expect(await descriptionOf(site)).toBe(TEXT.siteHint);
    expect(TEXT.siteHint).toContain('par exemple lille-2026');
    await page.getByRole('button', { name: TEXT.save, exact: true }).click();
    await page.getByRole('alert').filter({ hasText: TEXT.fieldRequired }).nth(1).waitFor();
    expect(await descriptionOf(site)).toBe(`${TEXT.siteHint} | ${TEXT.fieldRequired}`);
    expect(await page.getByText(TEXT.codeFormat).count()).toBe(0);
    violations.push(...(await runAxe(page, 'setup, empty fields')));
    // Typed with a space and an accent: now the form is what is wrong.
    await site.fill('Évry centre');
    await page.getByRole('alert').filter({ hasText: TEXT.codeFormat }).waitFor();
    expect(await descriptionOf(site)).toBe(`${TEXT.siteHint} | ${TEXT.codeFormat}`);

    // Back to the server: the tablet enrols with the corrected code.
    await page.getByRole('button', { name: TEXT.enrolInstead }).click();
    await page.getByLabel(TEXT.enrolCode).fill(good);
    await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
    await enrol.click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();

    // The home screen's "Réglages" opens a screen titled so.
    await page.getByRole('button', { name: TEXT.settings, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.settings, exact: true }).waitFor();
    expect(await page.locator('h1').textContent()).toBe('Réglages');
    expect(await descriptionOf(page.getByLabel(TEXT.interviewer))).toBe(TEXT.interviewerHint);
    violations.push(...(await runAxe(page, 'settings')));
    await page.getByRole('button', { name: TEXT.save, exact: true }).click();
    await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
    expect(violations).toEqual([]);
  });
});
