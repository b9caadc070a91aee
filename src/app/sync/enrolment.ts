// Enrolment without React: trades a one-time code for the device token, and makes the settings
// of an enrolled tablet (server address, token, and the device id, site and site settings the
// server gave).
import { fetchServerKey } from '../backup/server-key.ts';
import { withSiteSettings } from '../site-settings.ts';
import type { DeviceSettings } from '../storage/index.ts';
import type { Transport } from './api.ts';
import { ApiError, enrol, normaliseEnrolmentCode, normaliseServerUrl } from './api.ts';

export interface EnrolmentForm {
  readonly serverUrl: string;
  readonly code: string;
  readonly interviewer: string;
}

export type EnrolmentResult =
  | { readonly ok: true; readonly settings: DeviceSettings }
  /**
   * `unreachable`: no answer (offline, wrong address); `other_origin`: no answer from a server
   * other than the page's own (the API sends no CORS headers, so a browser cannot reach it from
   * here); `bad_code`: the code is unknown, used or expired; `refused`: any other refusal, with
   * the server's message.
   */
  | {
      readonly ok: false;
      readonly problem: 'bad_address' | 'unreachable' | 'other_origin' | 'bad_code' | 'refused';
      readonly message: string;
    };

/**
 * Enrols the tablet. Interviews already on it keep their site and device id (a record of another
 * site is refused by the server, with the reason shown on the home screen); the backoff, a
 * revoked token and the site counts of a previous enrolment are dropped, and the quota plan and
 * the pick-up points (the list and the last one used) are kept only for the same site. The site's
 * settings come with the server's answer; a server that sends none leaves the tablet those it had
 * for the same site (or the helpline typed on it before sites had settings).
 * `pageOrigin` is the origin the app was loaded from (`window.location.origin`), to tell a server
 * of another origin from an unreachable one.
 */
export async function enrolTablet(
  transport: Transport,
  form: EnrolmentForm,
  previous: DeviceSettings | undefined,
  pageOrigin?: string,
): Promise<EnrolmentResult> {
  const serverUrl = normaliseServerUrl(form.serverUrl);
  if (serverUrl === undefined) {
    return { ok: false, problem: 'bad_address', message: form.serverUrl };
  }
  const label = `Tablette ${form.interviewer.trim()}`.slice(0, 100);
  try {
    const answer = await enrol(transport, serverUrl, normaliseEnrolmentCode(form.code), label);
    const sameSite = previous !== undefined && previous.site === answer.site;
    // For backups written offline; without it now, the next sync fetches it.
    const serverKey = await fetchServerKey(transport, serverUrl);
    const settings: DeviceSettings = {
      deviceId: answer.deviceId,
      site: answer.site,
      interviewer: form.interviewer.trim(),
      uiLanguage: previous?.uiLanguage ?? 'fr',
      practiceMode: previous?.practiceMode ?? false,
      serverUrl,
      deviceToken: answer.token,
      sync: { failures: 0 },
      ...(serverKey === undefined ? {} : { serverKey }),
      ...(previous?.quotaPlan !== undefined && previous.site === answer.site
        ? { quotaPlan: previous.quotaPlan }
        : {}),
      ...(previous?.pickupPoints !== undefined && previous.site === answer.site
        ? { pickupPoints: previous.pickupPoints }
        : {}),
      ...(previous?.lastPickupPoint !== undefined && previous.site === answer.site
        ? { lastPickupPoint: previous.lastPickupPoint }
        : {}),
      ...(sameSite && previous.siteSettings !== undefined
        ? { siteSettings: previous.siteSettings }
        : {}),
      ...(sameSite && previous.typedHelpline !== undefined
        ? { typedHelpline: previous.typedHelpline }
        : {}),
    };
    return { ok: true, settings: withSiteSettings(settings, answer.settings) };
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'network') {
      const otherOrigin = pageOrigin !== undefined && new URL(serverUrl).origin !== pageOrigin;
      return {
        ok: false,
        problem: otherOrigin ? 'other_origin' : 'unreachable',
        message: error.message,
      };
    }
    if (error instanceof ApiError && error.kind === 'unauthorized') {
      return { ok: false, problem: 'bad_code', message: error.message };
    }
    return {
      ok: false,
      problem: 'refused',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
