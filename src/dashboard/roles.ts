// A user's roles as the admin's form shows them (one choice per site, plus "analyst of every
// site" and admin) and as the server stores them (grants), both ways, and in words.
import type { Access, Grant, SiteInfo } from '../core/protocol/index.ts';
import type { DashboardTexts } from './text.ts';
import { fill } from './text.ts';

export type SiteRole = 'none' | 'coordinator' | 'analyst';

export interface RoleChoice {
  readonly admin: boolean;
  /** The `*` analyst grant: reads and exports every site, those created later too. */
  readonly analystEverySite: boolean;
  /** Site id -> role there; a site not listed has none. */
  readonly sites: Readonly<Record<string, SiteRole>>;
}

export const NO_ROLE: RoleChoice = { admin: false, analystEverySite: false, sites: {} };

/** The form's choices for an access; coordinator wins where a site has both roles (it reads too). */
export function choiceOf(access: Access): RoleChoice {
  const sites: Record<string, SiteRole> = {};
  let analystEverySite = false;
  for (const grant of access.grants) {
    if (grant.site === '*') {
      if (grant.role === 'analyst') analystEverySite = true;
      continue;
    }
    if (grant.role === 'coordinator' || sites[grant.site] === undefined)
      sites[grant.site] = grant.role;
  }
  return { admin: access.admin, analystEverySite, sites };
}

/**
 * The access the server is sent: one grant per site with a role, sorted by site, the `*` analyst
 * grant first; an analyst grant on one site is left out when every site is granted already.
 */
export function accessOf(choice: RoleChoice): Access {
  const grants: Grant[] = choice.analystEverySite ? [{ site: '*', role: 'analyst' }] : [];
  for (const site of Object.keys(choice.sites).sort()) {
    const role = choice.sites[site];
    if (role === undefined || role === 'none') continue;
    if (role === 'analyst' && choice.analystEverySite) continue;
    grants.push({ site, role });
  }
  return { admin: choice.admin, grants };
}

/** "administration", or "coordination : lille, lyon · analyse : tous les sites", or "aucun rôle". */
export function rolesText(
  access: Access,
  text: DashboardTexts,
  sites: readonly SiteInfo[] = [],
): string {
  if (access.admin) return text.roles.admin;
  const name = (site: string) =>
    site === '*' ? text.roleEverySite : (sites.find((s) => s.id === site)?.name ?? site);
  const parts = (['coordinator', 'analyst'] as const).flatMap((role) => {
    const at = access.grants.filter((grant) => grant.role === role).map((grant) => grant.site);
    if (at.length === 0) return [];
    // Every site says it all: the sites also named one by one add nothing.
    const listed = at.includes('*') ? ['*'] : at;
    return [fill(text.roleAt, { role: text.roles[role], sites: listed.map(name).join(', ') })];
  });
  return parts.length === 0 ? text.rolesNone : parts.join(' · ');
}
