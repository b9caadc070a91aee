// The protocol an alert (such as a high suicide risk) asks the interviewer to apply now, with the
// site's helpline in place of `{{helpline}}` and the site's protocol contacts to call, in order;
// the interviewer ticks what they did before going on.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { ProtocolContact } from '../../core/protocol/index.ts';
import type { AlertAction } from '../interview/interview-session.ts';
import { telHref } from '../site-settings.ts';
import { FallbackNote } from './Localized.tsx';
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

/**
 * The protocol to apply now; it takes the focus, as an alert dialog must. Each alert has its own
 * title and text (a moderate risk its lighter instruction); give each its own `key`, so that the
 * next alert waiting starts with nothing ticked.
 */
export function AlertProtocol({
  title,
  protocol,
  helpline,
  contacts,
  onAcknowledge,
  titleFallback,
  protocolFallback,
}: {
  readonly title: string;
  /** The protocol's text in the interview's language, `{{helpline}}` still in it. */
  readonly protocol: string;
  /**
   * The language the title (or the protocol) is shown in when the interview's language leaves it
   * out (an interviewer's text falls back to the default language): marked as such.
   */
  readonly titleFallback?: string | undefined;
  readonly protocolFallback?: string | undefined;
  readonly helpline: string;
  /** Whom the interviewer calls, in the order to try them (none on a tablet without a server). */
  readonly contacts: readonly ProtocolContact[];
  /** What the interviewer ticked, in the order the list gives (none ticked: an empty list). */
  readonly onAcknowledge: (actions: AlertAction[]) => void;
}) {
  const text = useUiText();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState<ReadonlySet<AlertAction>>(new Set());
  useEffect(() => titleRef.current?.focus(), []);
  const actions = Object.keys(text.alertActions) as AlertAction[];
  const toggle = (action: AlertAction, on: boolean) =>
    setDone((before) => {
      const after = new Set(before);
      if (on) after.add(action);
      else after.delete(action);
      return after;
    });
  return (
    <section className="alert-protocol" role="alertdialog" aria-labelledby="alert-title">
      <h1 id="alert-title" ref={titleRef} tabIndex={-1}>
        {titleFallback === undefined ? (
          title
        ) : (
          <>
            <span lang={titleFallback}>{title}</span> <FallbackNote language={titleFallback} />
          </>
        )}
      </h1>
      {protocolFallback !== undefined && (
        <p>
          <FallbackNote language={protocolFallback} />
        </p>
      )}
      <div className="protocol-text" lang={protocolFallback}>
        {protocol.split('\n').map((line, i) => (
          <ProtocolLine key={i} line={line} helpline={helpline} />
        ))}
      </div>
      <p data-testid="alert-helpline">
        {text.alertHelpline} : <a href={telHref(helpline)}>{helpline}</a>
      </p>
      {contacts.length > 0 && (
        <section aria-labelledby="alert-contacts-title">
          <h2 id="alert-contacts-title">{text.alertContacts}</h2>
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
      <fieldset className="alert-actions" data-testid="alert-actions">
        <legend>{text.alertActionsLegend}</legend>
        {actions.map((action) => (
          <label key={action} className="choice">
            <input
              type="checkbox"
              name="alert-action"
              value={action}
              checked={done.has(action)}
              onChange={(event) => toggle(action, event.target.checked)}
            />
            <span>{text.alertActions[action]}</span>
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        className="primary"
        onClick={() => onAcknowledge(actions.filter((action) => done.has(action)))}
      >
        {text.alertAcknowledge}
      </button>
    </section>
  );
}
