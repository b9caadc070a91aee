// The enrolment link, `<server origin>/?enrol=ABCD-2345`: the dashboard shows it, and its QR code,
// with each new one-time code; the app opened from it fills in its enrolment screen. Kept apart
// from the wire schemas so that the app's first screen reads it without loading them.

/** The query parameter that carries the code. */
export const ENROL_LINK_PARAMETER = 'enrol';

/** The link for a code: the server's origin (the page the tablet opens), then the code. */
export function enrolmentLink(serverOrigin: string, code: string): string {
  return `${serverOrigin.replace(/\/+$/, '')}/?${ENROL_LINK_PARAMETER}=${encodeURIComponent(code)}`;
}

/** A one-time code as the server expects it (`ABCD-2345`): upper case, spaces dropped, dash added. */
export function normaliseEnrolmentCode(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}
