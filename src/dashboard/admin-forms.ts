// The admin's forms checked before anything is sent, as pure functions: a new site (id, name,
// time zone, helpline) and a new user (name and roles), each field's problem in the dashboard's
// words, or the request body the server's schema accepts.
import type { CreateSiteRequest, CreateUserRequest } from '../core/protocol/index.ts';
import { PHONE, SITE_ID, USERNAME } from '../core/protocol/index.ts';
import type { RoleChoice } from './roles.ts';
import { accessOf } from './roles.ts';
import { isTimeZone } from './site-settings.ts';
import type { DashboardTexts } from './text.ts';

export interface NewSiteDraft {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly helpline: string;
}

export type NewSiteProblems = Partial<Record<keyof NewSiteDraft, string>>;

export type Checked<T, P> =
  { readonly ok: true; readonly request: T } | { readonly ok: false; readonly problems: P };

const MAX_NAME = 100;

export function newSiteRequest(
  draft: NewSiteDraft,
  text: DashboardTexts,
): Checked<CreateSiteRequest, NewSiteProblems> {
  const id = draft.id.trim();
  const name = draft.name.trim();
  const timeZone = draft.timeZone.trim();
  const helpline = draft.helpline.trim();
  const problems: Record<string, string> = {};
  if (id === '') problems.id = text.fieldRequired;
  else if (!SITE_ID.test(id)) problems.id = text.siteIdInvalid;
  if (name === '' || name.length > MAX_NAME) problems.name = text.fieldRequired;
  if (!isTimeZone(timeZone)) problems.timeZone = text.siteTimeZoneInvalid;
  if (!PHONE.test(helpline)) problems.helpline = text.phoneInvalid;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, request: { id, settings: { name, timeZone, helpline } } };
}

export function newUserRequest(
  username: string,
  choice: RoleChoice,
  text: DashboardTexts,
): Checked<CreateUserRequest, { readonly username: string }> {
  const name = username.trim();
  if (name === '') return { ok: false, problems: { username: text.fieldRequired } };
  if (!USERNAME.test(name)) return { ok: false, problems: { username: text.usernameInvalid } };
  return { ok: true, request: { username: name, ...accessOf(choice) } };
}
