// How to install the app on the home screen, for the platform the tablet is: Chrome's install
// button, Safari's Share -> "Sur l'écran d'accueil", or the browser's menu. Shown at enrolment and on
// the home screen until the app runs installed.
import { useHomeText } from '../home-text.ts';
import { installAdvice } from '../pwa/install.ts';
import { useInstall } from '../pwa/useInstall.ts';
import { fill } from '../ui-text.ts';

export function InstallGuide({ where }: { readonly where: 'home' | 'enrol' }) {
  const words = useHomeText();
  const { platform, installed, prompt, showPrompt } = useInstall();
  const advice = installAdvice(platform, installed, prompt);
  if (advice === 'installed') {
    return where === 'home' ? (
      <p data-testid="install-guide" data-advice={advice}>
        {words.installDone}
      </p>
    ) : null;
  }
  const Heading = where === 'home' ? 'h3' : 'h2';
  const iosSteps = (
    <ol>
      <li>{words.installIosShare}</li>
      <li>{words.installIosAdd}</li>
      <li>{words.installIosOpen}</li>
    </ol>
  );
  return (
    <div
      className="notice install-guide"
      data-testid="install-guide"
      data-advice={advice}
      aria-labelledby={`install-title-${where}`}
      role="group"
    >
      <Heading id={`install-title-${where}`}>{words.installTitle}</Heading>
      {advice === 'open-icon' ? (
        <p role="status">{words.installOpenIcon}</p>
      ) : (
        <p className="small">{words.installWhy}</p>
      )}
      {advice === 'prompt' && (
        <button type="button" className="primary" onClick={() => void showPrompt()}>
          {words.installButton}
        </button>
      )}
      {advice === 'ios-share' && iosSteps}
      {advice === 'ios-open-safari' && (
        <>
          <p>{fill(words.installIosOpenSafari, { url: window.location.origin })}</p>
          {iosSteps}
        </>
      )}
      {advice === 'browser-menu' && <p>{words.installMenu}</p>}
    </div>
  );
}
