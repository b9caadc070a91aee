// The admin's forms checked before sending: a new site's id, name, time zone and helpline, and a
// new user's name, each problem in the dashboard's words; the bodies the server's schemas accept;
// and the dashboard's pages as the address keeps them.
import { describe, expect, it } from 'vitest';
import {
  CreateSiteRequestSchema,
  CreateUserRequestSchema,
} from '../../../src/core/protocol/index.ts';
import { newSiteRequest, newUserRequest } from '../../../src/dashboard/admin-forms.ts';
import { placeOf, hrefOf } from '../../../src/dashboard/navigation.ts';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';

const fr = DASHBOARD_TEXT.fr;

describe('a new site', () => {
  it('is sent trimmed, in the shape the server checks', () => {
    const checked = newSiteRequest(
      { id: ' cayenne ', name: ' Cayenne ', timeZone: 'America/Cayenne', helpline: '3114' },
      fr,
    );
    expect(checked).toEqual({
      ok: true,
      request: {
        id: 'cayenne',
        settings: { name: 'Cayenne', timeZone: 'America/Cayenne', helpline: '3114' },
      },
    });
    if (checked.ok) expect(CreateSiteRequestSchema.safeParse(checked.request).success).toBe(true);
  });

  it('says what is wrong with each field', () => {
    expect(
      newSiteRequest(
        { id: 'Saint Laurent', name: '', timeZone: 'Mars/Olympus', helpline: 'SOS' },
        fr,
      ),
    ).toEqual({
      ok: false,
      problems: {
        id: fr.siteIdInvalid,
        name: fr.fieldRequired,
        timeZone: fr.siteTimeZoneInvalid,
        helpline: fr.phoneInvalid,
      },
    });
    expect(
      newSiteRequest(
        { id: '', name: 'x', timeZone: 'Europe/Paris', helpline: '+594 594 00 00 00' },
        fr,
      ),
    ).toEqual({ ok: false, problems: { id: fr.fieldRequired } });
  });
});

describe('a new user', () => {
  it('is sent with the grants of the role choices', () => {
    const checked = newUserRequest(
      ' marie.d ',
      { admin: false, analystEverySite: false, sites: { cayenne: 'coordinator' } },
      fr,
    );
    expect(checked).toEqual({
      ok: true,
      request: {
        username: 'marie.d',
        admin: false,
        grants: [{ site: 'cayenne', role: 'coordinator' }],
      },
    });
    if (checked.ok) expect(CreateUserRequestSchema.safeParse(checked.request).success).toBe(true);
  });

  it('refuses a name the server would refuse', () => {
    const none = { admin: false, analystEverySite: false, sites: {} };
    expect(newUserRequest('', none, fr)).toEqual({
      ok: false,
      problems: { username: fr.fieldRequired },
    });
    expect(newUserRequest('Marie Dupont', none, fr)).toEqual({
      ok: false,
      problems: { username: fr.usernameInvalid },
    });
    expect(newUserRequest('rené', none, fr).ok).toBe(false);
  });
});

describe('the dashboard’s pages in the address', () => {
  it('reads and writes the page and the site', () => {
    expect(placeOf('')).toEqual({ page: 'sites', site: undefined });
    expect(placeOf('?site=lille%20sud')).toEqual({ page: 'sites', site: 'lille sud' });
    expect(placeOf('?page=users')).toEqual({ page: 'users', site: undefined });
    expect(placeOf('?page=elsewhere&site=x')).toEqual({ page: 'sites', site: 'x' });
    expect(hrefOf({ page: 'sites', site: 'lille sud' })).toBe('?site=lille%20sud');
    expect(hrefOf({ page: 'account', site: undefined })).toBe('?page=account');
    expect(hrefOf({ page: 'sites', site: undefined })).toBe('?');
  });
});
