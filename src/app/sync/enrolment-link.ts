// Opening the app from an enrolment link (`<server>/?enrol=ABCD-2345`, the dashboard's QR code):
// the link's origin and code fill in the enrolment screen, and the code leaves the address bar
// (history.replaceState) so that it is neither bookmarked nor sent again on a reload.
import {
  ENROL_LINK_PARAMETER,
  normaliseEnrolmentCode,
} from '../../core/protocol/enrolment-link.ts';

export interface EnrolmentLink {
  /** The origin the link points to: the server the app was just loaded from. */
  readonly serverUrl: string;
  readonly code: string;
}

/** Longest parameter read: a code is 9 characters; the rest is noise. */
const MAX_CODE_LENGTH = 32;

/** The server and code an address carries, or undefined when it has no enrolment parameter. */
export function readEnrolmentLink(href: string): EnrolmentLink | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const raw = url.searchParams.get(ENROL_LINK_PARAMETER);
  if (raw === null) return undefined;
  return {
    serverUrl: url.origin,
    code: normaliseEnrolmentCode(raw.trim().slice(0, MAX_CODE_LENGTH)),
  };
}

/** The same address, relative to the origin, without the enrolment parameter (path and hash kept). */
export function withoutEnrolmentLink(href: string): string {
  const url = new URL(href);
  url.searchParams.delete(ENROL_LINK_PARAMETER);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Reads the enrolment link of the page's address, if any, and takes it out of the address bar.
 * Called once, at start.
 */
export function takeEnrolmentLink(
  location: Pick<Location, 'href'>,
  history: Pick<History, 'replaceState' | 'state'>,
): EnrolmentLink | undefined {
  const link = readEnrolmentLink(location.href);
  if (link !== undefined)
    history.replaceState(history.state, '', withoutEnrolmentLink(location.href));
  return link;
}
