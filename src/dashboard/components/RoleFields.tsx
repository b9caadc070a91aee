// A user's roles as the admin sets them: admin of the survey, analyst of every site, and for each
// site none, coordinator or analyst. Used to create a user and to change a user's roles.
import type { SiteInfo } from '../../core/protocol/index.ts';
import type { RoleChoice, SiteRole } from '../roles.ts';
import { fill, useText } from '../text.ts';

export function RoleFields({
  id,
  sites,
  choice,
  onChange,
}: {
  /** Prefix of the fields' ids, unique on the page. */
  readonly id: string;
  readonly sites: readonly SiteInfo[];
  readonly choice: RoleChoice;
  readonly onChange: (choice: RoleChoice) => void;
}) {
  const text = useText();
  const options: (readonly [SiteRole, string])[] = [
    ['none', text.roleNone],
    ['coordinator', text.roleCoordinator],
  ];
  // Every site's analyst already reads each site.
  if (!choice.analystEverySite) options.push(['analyst', text.roleAnalyst]);
  return (
    <>
      <div className="field checkbox">
        <label>
          <input
            type="checkbox"
            checked={choice.admin}
            onChange={(event) => onChange({ ...choice, admin: event.target.checked })}
          />{' '}
          {text.adminRole}
        </label>
      </div>
      <fieldset disabled={choice.admin} className="role-fields" aria-describedby={`${id}-help`}>
        <legend>{text.siteRoles}</legend>
        <p id={`${id}-help`} className="small">
          {text.siteRolesHelp}
        </p>
        <div className="field checkbox">
          <label>
            <input
              type="checkbox"
              checked={choice.analystEverySite}
              onChange={(event) => onChange({ ...choice, analystEverySite: event.target.checked })}
            />{' '}
            {text.analystEverySite}
          </label>
        </div>
        {sites.map((site) => {
          const role = choice.sites[site.id] ?? 'none';
          const shown = choice.analystEverySite && role === 'analyst' ? 'none' : role;
          return (
            <div className="field inline" key={site.id}>
              <label htmlFor={`${id}-${site.id}`}>
                {fill(text.siteRoleLabel, { site: site.name })}
              </label>
              <select
                id={`${id}-${site.id}`}
                data-site={site.id}
                value={shown}
                onChange={(event) =>
                  onChange({
                    ...choice,
                    sites: { ...choice.sites, [site.id]: siteRole(event.target.value) },
                  })
                }
              >
                {options.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
      </fieldset>
    </>
  );
}

function siteRole(value: string): SiteRole {
  return value === 'coordinator' || value === 'analyst' ? value : 'none';
}
