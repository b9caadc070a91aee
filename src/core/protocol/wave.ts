/**
 * The wire contract of setting up a wave (`/api/v1`): sites and their settings, users and their
 * roles per site, one-time links to set a password, sessions. The server checks every body with
 * these schemas; the dashboard builds and reads the same; the tablet reads a site's settings at
 * enrolment and at every sync.
 */
import { z } from 'zod/mini';
import { IncomeBandsSchema } from './income-bands.ts';

/** A site's id: what URLs, exports and plans name it by (`cayenne`, `lille-2026`). */
export const SITE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A user name: letters, digits, `.`, `_`, `-`, 2 to 40 characters. */
export const USERNAME = /^[A-Za-z0-9._-]{2,40}$/;
/** A phone number as dialled: digits, spaces, `+`, `.`, `-`, brackets. */
export const PHONE = /^[0-9+][0-9 +().-]{1,31}$/;
/** A language tag such as `fr`, `en`, `gcf`, `fr-GF`. */
export const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
/** Shortest password a user may choose. */
export const MIN_PASSWORD_LENGTH = 10;
/** How long a one-time link lasts. */
export const LINK_HOURS = 72;

const Text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));

/** Someone the suicide-risk protocol has the interviewer call (psychologist, site's doctor). */
export const ProtocolContactSchema = z.strictObject({
  name: Text(100),
  /** What they are to the site: "psychologue référente", "médecin du CMP". */
  role: z._default(z.string().check(z.trim(), z.maxLength(100)), ''),
  phone: z.string().check(z.trim(), z.regex(PHONE, 'must be a phone number')),
});
export type ProtocolContact = z.infer<typeof ProtocolContactSchema>;

/**
 * What a coordinator sets for a site. Tablets receive all of it at enrolment and at each sync:
 * interviewers never type the helpline.
 */
export const SiteSettingsSchema = z.strictObject({
  name: Text(100),
  /** IANA time zone (`America/Cayenne`): per-day charts and paradata days use it. */
  timeZone: z.string().check(z.minLength(1), z.maxLength(64)),
  /** The number the suicide-risk alert gives the respondent (3114 in France). */
  helpline: z.string().check(z.trim(), z.regex(PHONE, 'must be a phone number')),
  /** Who the interviewer calls when the alert is raised, in the order to try them. */
  protocolContacts: z.array(ProtocolContactSchema).check(z.maxLength(10)),
  /** Completed interviews shorter than this are flagged. */
  shortInterviewSeconds: z.int().check(z.gte(0), z.lte(7200)),
  /** Languages offered for interviews, the first the default; each must be one the questionnaire has. */
  languages: z
    .array(z.string().check(z.regex(LANGUAGE, 'must be a language code such as fr or en')))
    .check(z.minLength(1, 'give at least one language'), z.maxLength(20)),
  /** Interviews to make: the plan's size when it is built from census tables. */
  sampleSize: z.int().check(z.gte(1), z.lte(100_000)),
  /** Share of the sample by which a quota cell may run over, 0 to 0.5. */
  tolerance: z.number().check(z.gte(0), z.lte(0.5)),
  /**
   * The site's household-income bands, shown instead of the questionnaire's and kept with each
   * record; null (or absent, from an older server or dashboard): the questionnaire's own.
   */
  incomeBands: z.optional(z.nullable(IncomeBandsSchema)),
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;

/** A new site's settings unless the admin gives others. */
export const DEFAULT_SITE_SETTINGS: Omit<SiteSettings, 'name'> = {
  timeZone: 'Europe/Paris',
  helpline: '3114',
  protocolContacts: [],
  shortInterviewSeconds: 20 * 60,
  languages: ['fr'],
  sampleSize: 900,
  tolerance: 0.05,
};

/** `PUT /sites/:site/settings`: every setting, checked as a whole. */
export const SiteSettingsRequestSchema = SiteSettingsSchema;

/** `POST /sites` (admin): a new site, its settings defaulting to DEFAULT_SITE_SETTINGS. */
export const CreateSiteRequestSchema = z.strictObject({
  id: z.string().check(z.regex(SITE_ID, 'must be 1 to 40 lower-case letters, digits or -')),
  settings: z.extend(z.partial(SiteSettingsSchema), { name: Text(100) }),
});
export type CreateSiteRequest = z.infer<typeof CreateSiteRequestSchema>;

/** `PUT /sites/:site/closed` (admin): a closed site enrols no tablet but still receives records. */
export const SiteClosedRequestSchema = z.strictObject({ closed: z.boolean() });

/** A site as the dashboard reads it: `GET /sites/:site`. */
export const SiteDetailSchema = z.strictObject({
  id: z.string(),
  settings: SiteSettingsSchema,
  hasPlan: z.boolean(),
  closedAt: z.nullable(z.string()),
  createdAt: z.string(),
});
export type SiteDetail = z.infer<typeof SiteDetailSchema>;

export const ROLES = ['coordinator', 'analyst'] as const;
/** A user's role at one site, or at every site (`*`, analysts only). */
export const GrantSchema = z.strictObject({
  site: z
    .string()
    .check(z.refine((site) => site === '*' || SITE_ID.test(site), 'must be a site id or *')),
  role: z.enum(ROLES),
});
export type Grant = z.infer<typeof GrantSchema>;

/** What a user may do: admin of the study, and roles per site. */
export const AccessSchema = z.strictObject({
  admin: z.boolean(),
  grants: z.array(GrantSchema).check(z.maxLength(200)),
});
export type Access = z.infer<typeof AccessSchema>;

/** `POST /users` (admin): a new user, who sets their password through the link in the answer. */
export const CreateUserRequestSchema = z.extend(AccessSchema, {
  username: z.string().check(z.regex(USERNAME, 'must be 2 to 40 letters, digits, ., _ or -')),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/** `PUT /users/:username/access` (admin): the user's roles, replaced as a whole. */
export const AccessRequestSchema = AccessSchema;

/**
 * A one-time link (`POST /users`, `POST /users/:username/reset`): shown once, valid LINK_HOURS
 * hours; the dashboard's page `<origin>/dashboard/#link=<token>` sets the password with it.
 */
export const OneTimeLinkSchema = z.strictObject({
  username: z.string(),
  token: z.string(),
  expiresAt: z.string(),
});
export type OneTimeLink = z.infer<typeof OneTimeLinkSchema>;

/** The fragment the dashboard reads the link's token from (never sent to the server in a URL). */
export const LINK_FRAGMENT = 'link';

/** The page a one-time link opens. */
export function oneTimeLinkUrl(serverOrigin: string, token: string): string {
  return `${serverOrigin.replace(/\/+$/, '')}/dashboard/#${LINK_FRAGMENT}=${encodeURIComponent(token)}`;
}

/** A user as `GET /users` (admin) lists them. */
export const UserInfoSchema = z.extend(AccessSchema, {
  username: z.string(),
  /** False until the user has set a password through their link. */
  hasPassword: z.boolean(),
  createdAt: z.string(),
  /** Sessions not yet expired. */
  sessions: z.int().check(z.gte(0)),
});
export type UserInfo = z.infer<typeof UserInfoSchema>;

/** `GET /auth/me`, and the login's answer without its token: who is logged in. */
export const MeSchema = z.extend(AccessSchema, { username: z.string() });
export type Me = z.infer<typeof MeSchema>;

/** `POST /auth/link/info`: whose link this is, before the password is chosen. */
export const LinkInfoRequestSchema = z.strictObject({ token: z.string().check(z.maxLength(200)) });
export const LinkInfoSchema = z.strictObject({ username: z.string(), expiresAt: z.string() });
export type LinkInfo = z.infer<typeof LinkInfoSchema>;

const Password = z
  .string()
  .check(
    z.minLength(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`),
    z.maxLength(200),
  );

/** `POST /auth/link`: sets the password with a one-time link; the link then stops working. */
export const SetPasswordRequestSchema = z.strictObject({
  token: z.string().check(z.maxLength(200)),
  password: Password,
});

/** `POST /auth/password`: a logged-in user changes their password; their other sessions end. */
export const ChangePasswordRequestSchema = z.strictObject({
  current: z.string().check(z.minLength(1), z.maxLength(200)),
  next: Password,
});

/** A session as `GET /users/:username/sessions` lists it (never its token or hash). */
export const SessionInfoSchema = z.strictObject({
  /** A short handle (the first 16 hex digits of the token's hash) to end it by. */
  id: z.string(),
  createdAt: z.nullable(z.string()),
  expiresAt: z.string(),
  /** The session this request came with. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** True when the access lets its holder act as `role` at `site` (an admin may do everything). */
export function allows(access: Access, role: 'coordinator' | 'analyst', site: string): boolean {
  if (access.admin) return true;
  return access.grants.some(
    (grant) => (grant.site === site || grant.site === '*') && grant.role === role,
  );
}

/** True when the access lets its holder see `site` in any role. */
export function sees(access: Access, site: string): boolean {
  return allows(access, 'coordinator', site) || allows(access, 'analyst', site);
}
