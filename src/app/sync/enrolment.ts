// Enrolment without React: trades a one-time code for the device token, and makes the settings
// of an enrolled tablet (server address, token, and the device id and site the server gave).
import type { DeviceSettings } from '../storage/index.ts';
import type { Transport } from './api.ts';
import { ApiError, enrol, normaliseEnrolmentCode, normaliseServerUrl } from './api.ts';

export interface EnrolmentForm {
  readonly serverUrl: string;
  readonly code: string;
  readonly interviewer: string;
  readonly helpline: string;
}

export type EnrolmentResult =
  | { readonly ok: true; readonly settings: DeviceSettings }
  /** `unreachable`: no answer (offline, wrong address); `refused`: the server's message. */
  | {
      readonly ok: false;
      readonly problem: 'bad_address' | 'unreachable' | 'refused';
      readonly message: string;
    };

/**
 * Enrols the tablet. Interviews already on it keep their site and device id (a record of another
 * site is refused by the server, with the reason shown on the home screen); the backoff, a
 * revoked token and the site counts of a previous enrolment are dropped, and the quota plan and
 * the pick-up points (the list and the last one used) are kept only for the same site.
 */
export async function enrolTablet(
  transport: Transport,
  form: EnrolmentForm,
  previous: DeviceSettings | undefined,
): Promise<EnrolmentResult> {
  const serverUrl = normaliseServerUrl(form.serverUrl);
  if (serverUrl === undefined) {
    return { ok: false, problem: 'bad_address', message: form.serverUrl };
  }
  const label = `Tablette ${form.interviewer.trim()}`.slice(0, 100);
  try {
    const answer = await enrol(transport, serverUrl, normaliseEnrolmentCode(form.code), label);
    const settings: DeviceSettings = {
      deviceId: answer.deviceId,
      site: answer.site,
      interviewer: form.interviewer.trim(),
      helpline: form.helpline.trim(),
      uiLanguage: previous?.uiLanguage ?? 'fr',
      practiceMode: previous?.practiceMode ?? false,
      serverUrl,
      deviceToken: answer.token,
      sync: { failures: 0 },
      ...(previous?.quotaPlan !== undefined && previous.site === answer.site
        ? { quotaPlan: previous.quotaPlan }
        : {}),
      ...(previous?.pickupPoints !== undefined && previous.site === answer.site
        ? { pickupPoints: previous.pickupPoints }
        : {}),
      ...(previous?.lastPickupPoint !== undefined && previous.site === answer.site
        ? { lastPickupPoint: previous.lastPickupPoint }
        : {}),
    };
    return { ok: true, settings };
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'network') {
      return { ok: false, problem: 'unreachable', message: error.message };
    }
    return {
      ok: false,
      problem: 'refused',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
