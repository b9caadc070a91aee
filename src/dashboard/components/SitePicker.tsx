// The choice of a site, for an account that follows several: each site is a link to its page,
// a closed one (no more tablets enrolled) marked so.
import type { SiteInfo } from '../../core/protocol/index.ts';
import { useText } from '../text.ts';

export function SitePicker({ sites }: { readonly sites: readonly SiteInfo[] }) {
  const text = useText();
  return (
    <main className="screen">
      <h1>{text.sitesTitle}</h1>
      {sites.length === 0 ? (
        <p>{text.noSites}</p>
      ) : (
        <>
          <p>{text.sitesIntro}</p>
          <ul className="site-list">
            {sites.map((site) => (
              <li key={site.id}>
                <a className="site-link" href={`?site=${encodeURIComponent(site.id)}`}>
                  <strong>{site.name}</strong> <span className="small">({site.id})</span>
                  {!site.hasPlan && <span className="tag">{text.noPlanTag}</span>}
                  {site.closedAt !== null && <span className="tag">{text.closedTag}</span>}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
