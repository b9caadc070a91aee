// The one-time link page and the admin's screens as React renders them (to static HTML: this
// repo tests components without a DOM): the fields a user finds by their French labels, the link
// shown once with its QR code, the roles per site, the sites' marks and the delete warning.
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { SiteInfo } from '../../../src/core/protocol/index.ts';
import { oneTimeLinkUrl } from '../../../src/core/protocol/index.ts';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { DashboardApi } from '../../../src/dashboard/api.ts';
import { AdminSites, SiteRows } from '../../../src/dashboard/components/AdminSites.tsx';
import { NewUserForm } from '../../../src/dashboard/components/AdminUsers.tsx';
import { LinkPage, LinkPasswordForm } from '../../../src/dashboard/components/LinkPage.tsx';
import { LoginForm } from '../../../src/dashboard/components/LoginForm.tsx';
import { OneTimeLinkCard } from '../../../src/dashboard/components/OneTimeLinkCard.tsx';
import { RoleFields } from '../../../src/dashboard/components/RoleFields.tsx';
import { SitePicker } from '../../../src/dashboard/components/SitePicker.tsx';
import { DASHBOARD_TEXT, DashboardTextContext, fill } from '../../../src/dashboard/text.ts';

const fr = DASHBOARD_TEXT.fr;

function html(element: ReactElement): string {
  return renderToStaticMarkup(
    <DashboardTextContext.Provider value={fr}>{element}</DashboardTextContext.Provider>,
  );
}

/** The text of the `<label>` for the field of id `id`. */
function labelOf(markup: string, id: string): string | undefined {
  return new RegExp(`<label for="${id}">([^<]*)</label>`).exec(markup)?.[1];
}

const never: Fetch = () => new Promise(() => undefined);
const api = new DashboardApi(never);
const ignore = () => undefined;

const site = (id: string, name: string, closedAt: string | null = null): SiteInfo => ({
  id,
  name,
  shortInterviewSeconds: 600,
  hasPlan: id === 'cayenne',
  closedAt,
  timeZone: 'America/Cayenne',
});
const SITES = [site('cayenne', 'Cayenne'), site('kourou', 'Kourou', '2026-06-30T18:00:00.000Z')];

describe('the one-time link page', () => {
  it('checks the link first', () => {
    const markup = html(
      <LinkPage api={api} token="otl_x" language="fr" onDone={ignore} onLeave={ignore} />,
    );
    expect(markup).toContain(`<h1>${fr.linkTitle}</h1>`);
    expect(markup).toContain('Choisir votre mot de passe');
    expect(markup).toContain(fr.linkChecking);
  });

  it('shows whose account it is, and the password twice with its minimum length', () => {
    const markup = html(
      <LinkPasswordForm
        info={{ username: 'marie.d', expiresAt: '2026-05-04T10:00:00.000Z' }}
        language="fr"
        onSave={() => Promise.resolve()}
      />,
    );
    expect(markup).toContain('Compte : marie.d.');
    expect(markup).toMatch(/id="link-username"[^>]*value="marie.d"/);
    expect(labelOf(markup, 'link-password-new')).toBe('Nouveau mot de passe');
    expect(labelOf(markup, 'link-password-confirm')).toBe('Confirmer le mot de passe');
    expect(markup).toContain('Au moins 10 caractères.');
    expect(markup).toContain(`>${fr.linkSubmit}</button>`);
  });

  it('hands over to a login form with the name filled in', () => {
    const markup = html(
      <LoginForm
        onLogin={() => Promise.resolve()}
        notice={fr.linkDone}
        initialUsername="marie.d"
      />,
    );
    expect(markup).toMatch(/id="login-username"[^>]*value="marie.d"/);
    expect(markup).toContain(fr.linkDone);
  });
});

describe('the one-time link shown to the admin', () => {
  it('gives the link to the page that sets the password, with its QR code and a copy button', () => {
    const link = { username: 'marie.d', token: 'otl_abc', expiresAt: '2026-05-04T10:00:00.000Z' };
    const markup = html(
      <OneTimeLinkCard link={link} origin="https://smpg.example" language="fr" onDone={ignore} />,
    );
    const url = oneTimeLinkUrl('https://smpg.example', 'otl_abc');
    expect(url).toBe('https://smpg.example/dashboard/#link=otl_abc');
    expect(markup).toContain(`value="${url}"`);
    expect(labelOf(markup, 'one-time-link')).toBe(fr.linkCardLink);
    expect(markup).toMatch(
      new RegExp(
        `<svg[^>]*role="img"[^>]*aria-label="${fill(fr.linkCardQr, { user: 'marie.d' })}"`,
      ),
    );
    expect(markup).toContain(`>${fr.enrolCopy}</button>`);
    expect(markup).toContain('(72 h)');
  });
});

describe('roles per site', () => {
  it('offers none, coordinator or analyst for each site, the current choice selected', () => {
    const markup = html(
      <RoleFields
        id="r"
        sites={SITES}
        choice={{ admin: false, analystEverySite: false, sites: { kourou: 'analyst' } }}
        onChange={ignore}
      />,
    );
    expect(labelOf(markup, 'r-cayenne')).toBe('Rôle sur le site Cayenne');
    expect(markup).toContain(fr.adminRole);
    expect(markup).toContain(fr.analystEverySite);
    const kourou = /<select id="r-kourou"[^>]*>(.*?)<\/select>/.exec(markup)?.[1] ?? '';
    expect(kourou).toContain('<option value="analyst" selected="">analyste</option>');
    expect(kourou).toContain('<option value="coordinator">coordinateur·rice</option>');
    expect(markup).not.toMatch(/<fieldset[^>]*disabled/);
  });

  it('drops the per-site analyst once every site is granted, and everything for an admin', () => {
    const markup = html(
      <RoleFields
        id="r"
        sites={SITES}
        choice={{ admin: true, analystEverySite: true, sites: { kourou: 'analyst' } }}
        onChange={ignore}
      />,
    );
    expect(markup).not.toContain('value="analyst"');
    expect(markup).toMatch(/<fieldset[^>]*disabled/);
  });

  it('creates an account from a name and those roles', () => {
    const markup = html(
      <NewUserForm api={api} sites={SITES} explain={String} onCreated={ignore} />,
    );
    expect(labelOf(markup, 'new-user-username')).toBe(fr.username);
    expect(markup).toContain(`>${fr.userCreate}</button>`);
    expect(markup).toContain('id="new-user-role-kourou"');
  });
});

describe('the sites', () => {
  it('lists every site for the admin, closed ones marked, with their actions', () => {
    const markup = html(
      <AdminSites api={api} sites={SITES} language="fr" explain={String} onChanged={ignore} />,
    );
    expect(markup).toContain('href="?site=kourou"');
    expect(markup).toMatch(/clôturé le \d\d\/06\/2026/);
    expect(markup).toContain(`aria-label="${fill(fr.siteRenameLabel, { site: 'cayenne' })}"`);
    expect(markup).toContain(`aria-label="${fill(fr.siteCloseLabel, { site: 'cayenne' })}"`);
    expect(markup).toContain(`aria-label="${fill(fr.siteReopenLabel, { site: 'kourou' })}"`);
    expect(markup).toContain(`aria-label="${fill(fr.siteDeleteLabel, { site: 'kourou' })}"`);
    for (const [id, label] of [
      ['new-site-id', fr.siteId],
      ['new-site-name', fr.siteName],
      ['new-site-timeZone', fr.siteTimeZone],
      ['new-site-helpline', fr.siteHelpline],
    ])
      expect(labelOf(markup, id ?? '')).toBe(label);
    expect(markup).toMatch(/id="new-site-helpline"[^>]*value="3114"/);
    expect(markup).toContain('<option value="America/Cayenne">');
  });

  it('deletes a site only once its id is typed, after saying it erases every record', () => {
    const rows = (typedId: string) =>
      html(
        <table>
          <tbody>
            <SiteRows
              site={SITES[1] ?? site('x', 'x')}
              editing="delete"
              busy={false}
              language="fr"
              newName=""
              typedId={typedId}
              onNewName={ignore}
              onTypedId={ignore}
              onRename={ignore}
              onDelete={ignore}
              onCancel={ignore}
              onSubmitRename={ignore}
              onSubmitDelete={ignore}
              onClosed={ignore}
            />
          </tbody>
        </table>,
      );
    const submit = (markup: string) =>
      new RegExp(`<button[^>]*>${fr.siteDeleteSubmit}</button>`).exec(markup)?.[0] ?? '';
    const half = rows('kour');
    expect(half).toContain(fr.siteDeleteWarning);
    expect(labelOf(half, 'delete-kourou')).toBe(
      'Pour confirmer, tapez l’identifiant du site : kourou',
    );
    expect(submit(half)).toContain('disabled');
    expect(submit(rows('kourou'))).not.toBe('');
    expect(submit(rows('kourou'))).not.toContain('disabled');
  });

  it('marks a closed site in the choice of a site', () => {
    const markup = html(<SitePicker sites={SITES} />);
    const kourou = /<li>(.*?Kourou.*?)<\/li>/.exec(markup)?.[1] ?? '';
    expect(kourou).toContain(`<span class="tag">${fr.closedTag}</span>`);
    expect(markup.match(/clôturé/g)).toHaveLength(1);
  });
});
