// The dashboard's few pages, kept in the address's query so that a reload, a bookmark and the
// browser's back button all work with no router: `?` (sites), `?site=<id>`,
// `?page=users|questionnaires|account`.

export type Page = 'sites' | 'users' | 'questionnaires' | 'account';

export interface Place {
  readonly page: Page;
  /** The site whose page is open (on the `sites` page only). */
  readonly site: string | undefined;
}

export function placeOf(search: string): Place {
  const query = new URLSearchParams(search);
  const page = query.get('page');
  if (page === 'users' || page === 'questionnaires' || page === 'account')
    return { page, site: undefined };
  const site = query.get('site');
  return { page: 'sites', site: site === null || site === '' ? undefined : site };
}

export function hrefOf(place: Place): string {
  if (place.page !== 'sites') return `?page=${place.page}`;
  return place.site === undefined ? '?' : `?site=${encodeURIComponent(place.site)}`;
}
