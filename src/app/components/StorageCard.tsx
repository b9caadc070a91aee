// The home screen's storage card: whether the browser keeps the interviews, in the interviewer's
// words, with what to do (install the app, tap "Protéger les entretiens", asked again at each tap
// until granted), the space used and left, and the installation steps until the app is installed.
import { useState } from 'react';
import { useHomeText } from '../home-text.ts';
import type { StorageStatus } from '../storage/index.ts';
import { bytesLeft, requestPersistentStorage } from '../storage/index.ts';
import { fill, useUiLanguage } from '../ui-text.ts';
import { sizeText } from './format-bytes.ts';
import { InstallGuide } from './InstallGuide.tsx';

export function StorageCard({
  storage,
  onStatus,
}: {
  readonly storage: StorageStatus | undefined;
  /** The status after asking for persistence from the card's button. */
  readonly onStatus: (status: StorageStatus) => void;
}) {
  const words = useHomeText();
  const language = useUiLanguage();
  const [asking, setAsking] = useState(false);
  const [refused, setRefused] = useState(false);

  // A tap: the gesture some browsers need before they grant persistence.
  const protect = () => {
    setAsking(true);
    void requestPersistentStorage().then((status) => {
      setAsking(false);
      setRefused(status.persisted !== true);
      onStatus(status);
    });
  };

  return (
    <>
      {storage && (
        <>
          <p data-testid="storage-status" data-persisted={String(storage.persisted)}>
            {storage.persisted === true
              ? words.storageProtected
              : storage.persisted === false
                ? words.storageUnprotected
                : words.storageUnknownState}
          </p>
          <p data-testid="storage-space">
            {sizeText(words.storageSpaceUsed, storage.usage, language)} ·{' '}
            {sizeText(words.storageSpaceFree, bytesLeft(storage), language)}
          </p>
          {storage.persisted === false && (
            <p>{fill(words.storageUnprotectedTodo, { button: words.storageProtect })}</p>
          )}
        </>
      )}
      {/* Installing first: the browsers grant persistence to an installed app most readily. */}
      <InstallGuide where="home" />
      {storage && storage.persisted !== true && (
        <>
          <button type="button" onClick={protect} disabled={asking}>
            {words.storageProtect}
          </button>
          {refused && (
            <p role="status" data-testid="storage-refused">
              {words.storageRefused}
            </p>
          )}
        </>
      )}
    </>
  );
}
