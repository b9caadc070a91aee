// A new user's (or a reset password's) one-time link, shown once to the admin: the link to send,
// a copy button and its QR code to scan, with when it stops working. The server keeps only a
// hash of it, so it cannot be shown again.
import { useState } from 'react';
import type { OneTimeLink } from '../../core/protocol/index.ts';
import { oneTimeLinkUrl } from '../../core/protocol/index.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';
import { EnrolmentQr } from './EnrolmentQr.tsx';

export function OneTimeLinkCard({
  link,
  origin,
  language,
  onDone,
}: {
  readonly link: OneTimeLink;
  /** The server's origin as the user will reach it (`location.origin`). */
  readonly origin: string;
  readonly language: string;
  readonly onDone: () => void;
}) {
  const text = useText();
  const [copied, setCopied] = useState(false);
  const url = oneTimeLinkUrl(origin, link.token);
  const user = link.username;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refusal): the link stays selectable in its field.
      setCopied(false);
    }
  };

  return (
    <div
      className="card one-time-link"
      role="group"
      aria-labelledby="one-time-link-title"
      data-username={user}
    >
      <h3 id="one-time-link-title">{fill(text.linkCardTitle, { user })}</h3>
      <div className="enrolment-result">
        <EnrolmentQr
          link={url}
          label={fill(text.linkCardQr, { user })}
          tooLong={text.enrolQrTooLong}
        />
        <div>
          <p>{fill(text.linkCardHelp, { user, time: dateTime(link.expiresAt, language) })}</p>
          <div className="field enrolment-link">
            <label htmlFor="one-time-link">{text.linkCardLink}</label>
            <input
              id="one-time-link"
              readOnly
              value={url}
              onFocus={(event) => event.target.select()}
            />
            <span className="inline">
              <button type="button" onClick={() => void copy()}>
                {text.enrolCopy}
              </button>
              {copied && (
                <span className="small" role="status">
                  {text.enrolCopied}
                </span>
              )}
            </span>
          </div>
          <button type="button" onClick={onDone}>
            {text.linkCardDone}
          </button>
        </div>
      </div>
    </div>
  );
}
