// Offers a new app version; rendered on the home screen only, so that an interview is never cut
// by a reload (vite-plugin-pwa with registerType 'prompt', registered once in App).
import { useUiText } from '../ui-text.ts';

export interface UpdateState {
  readonly needRefresh: boolean;
  readonly offlineReady: boolean;
  readonly update: () => void;
  readonly dismissOfflineReady: () => void;
}

export function UpdatePrompt({ state }: { readonly state: UpdateState }) {
  const text = useUiText();
  if (state.needRefresh) {
    return (
      <div className="update" role="status">
        <p>{text.updateAvailable}</p>
        <button type="button" className="primary" onClick={state.update}>
          {text.updateNow}
        </button>
      </div>
    );
  }
  if (state.offlineReady) {
    return (
      <div className="update" role="status">
        <p>{text.offlineReady}</p>
        <button type="button" onClick={state.dismissOfflineReady}>
          OK
        </button>
      </div>
    );
  }
  return null;
}
