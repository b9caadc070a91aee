// A user's roles between the admin's form (one choice per site, every site's analyst, admin) and
// the grants the server stores, and in the words the dashboard shows them with.
import { describe, expect, it } from 'vitest';
import type { SiteInfo } from '../../../src/core/protocol/index.ts';
import { accessOf, choiceOf, rolesText } from '../../../src/dashboard/roles.ts';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';

const site = (id: string, name: string): SiteInfo => ({
  id,
  name,
  shortInterviewSeconds: 600,
  hasPlan: false,
  closedAt: null,
  timeZone: 'Europe/Paris',
});

describe('role choices and grants', () => {
  it('turns choices into one grant per site, sorted, every site’s analyst first', () => {
    expect(
      accessOf({
        admin: false,
        analystEverySite: true,
        sites: { lyon: 'coordinator', cayenne: 'coordinator', lille: 'analyst', mayotte: 'none' },
      }),
    ).toEqual({
      admin: false,
      grants: [
        { site: '*', role: 'analyst' },
        { site: 'cayenne', role: 'coordinator' },
        { site: 'lyon', role: 'coordinator' },
      ],
    });
  });

  it('reads grants back into the same choices', () => {
    const access = {
      admin: true,
      grants: [
        { site: 'lille', role: 'analyst' as const },
        { site: 'lille', role: 'coordinator' as const },
        { site: 'lyon', role: 'analyst' as const },
        { site: '*', role: 'analyst' as const },
      ],
    };
    const choice = choiceOf(access);
    // Coordinator wins where a site has both: it reads as well.
    expect(choice).toEqual({
      admin: true,
      analystEverySite: true,
      sites: { lille: 'coordinator', lyon: 'analyst' },
    });
    expect(accessOf(choice).grants).toEqual([
      { site: '*', role: 'analyst' },
      { site: 'lille', role: 'coordinator' },
    ]);
  });

  it('says the roles in words, with the sites’ names', () => {
    const sites = [site('cayenne', 'Cayenne'), site('kourou', 'Kourou')];
    const fr = DASHBOARD_TEXT.fr;
    expect(rolesText({ admin: true, grants: [] }, fr)).toBe('administration');
    expect(rolesText({ admin: false, grants: [] }, fr)).toBe('aucun rôle');
    expect(
      rolesText(
        {
          admin: false,
          grants: [
            { site: 'cayenne', role: 'coordinator' },
            { site: 'kourou', role: 'coordinator' },
            { site: 'kourou', role: 'analyst' },
            { site: '*', role: 'analyst' },
          ],
        },
        fr,
        sites,
      ),
    ).toBe('coordination : Cayenne, Kourou · analyse : tous les sites');
    expect(
      rolesText({ admin: false, grants: [{ site: 'gone', role: 'analyst' }] }, DASHBOARD_TEXT.en),
    ).toBe('analyst: gone');
  });
});
