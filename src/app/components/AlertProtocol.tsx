// The protocol an alert (such as a high suicide risk) asks the interviewer to apply now, with the
// site's helpline in place of `{{helpline}}` and the site's protocol contacts to call, in order.
import { Fragment, useEffect, useRef } from 'react';
import type { ProtocolContact } from '../../core/protocol/index.ts';
import { telHref } from '../site-settings.ts';
import { useUiText } from '../ui-text.ts';

const HELPLINE = '{{helpline}}';

/** One line of the protocol, the helpline a link to call wherever the text names it. */
function ProtocolLine({ line, helpline }: { readonly line: string; readonly helpline: string }) {
  const pieces = line.split(HELPLINE);
  return (
    <p>
      {pieces.map((piece, i) => (
        <Fragment key={i}>
          {piece}
          {i < pieces.length - 1 && <a href={telHref(helpline)}>{helpline}</a>}
        </Fragment>
      ))}
    </p>
  );
}

/** The protocol to apply now; it takes the focus, as an alert dialog must. */
export function AlertProtocol({
  title,
  protocol,
  helpline,
  contacts,
  onAcknowledge,
}: {
  readonly title: string;
  /** The protocol's text in the interview's language, `{{helpline}}` still in it. */
  readonly protocol: string;
  readonly helpline: string;
  /** Whom the interviewer calls, in the order to try them (none on a tablet without a server). */
  readonly contacts: readonly ProtocolContact[];
  readonly onAcknowledge: () => void;
}) {
  const text = useUiText();
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  return (
    <section className="alert-protocol" role="alertdialog" aria-labelledby="alert-title">
      <h2 id="alert-title" ref={titleRef} tabIndex={-1}>
        {title}
      </h2>
      <div className="protocol-text">
        {protocol.split('\n').map((line, i) => (
          <ProtocolLine key={i} line={line} helpline={helpline} />
        ))}
      </div>
      <p data-testid="alert-helpline">
        {text.alertHelpline} : <a href={telHref(helpline)}>{helpline}</a>
      </p>
      {contacts.length > 0 && (
        <section aria-labelledby="alert-contacts-title">
          <h3 id="alert-contacts-title">{text.alertContacts}</h3>
          <ol className="protocol-contacts" data-testid="alert-contacts">
            {contacts.map((contact, i) => (
              <li key={i}>
                <strong>{contact.name}</strong>
                {contact.role !== '' && `, ${contact.role}`} :{' '}
                <a href={telHref(contact.phone)}>{contact.phone}</a>
              </li>
            ))}
          </ol>
        </section>
      )}
      <button type="button" className="primary" onClick={onAcknowledge}>
        {text.alertAcknowledge}
      </button>
    </section>
  );
}
