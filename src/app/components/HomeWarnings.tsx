// The home screen's warnings, before anything is lost: interviews waiting unsent for more than a
// day, storage nearly full, and (Safari, not installed) data deleted when the app goes unused.
import { useState } from 'react';
import { homeWarnings, recordUse } from '../home-warnings.ts';
import type { HomeWarning } from '../home-warnings.ts';
import { useHomeText } from '../home-text.ts';
import { evictsUnusedData } from '../pwa/install.ts';
import { useInstall } from '../pwa/useInstall.ts';
import type { InterviewRecord, StorageStatus } from '../storage/index.ts';
import { countText } from './plurals.ts';
import { fill, useUiLanguage, useUiText } from '../ui-text.ts';
import { formatBytes } from './format-bytes.ts';

/** The use before this session, noted once as the home screen first shows. */
function previousUse(): string | undefined {
  try {
    return recordUse(window.localStorage, window.sessionStorage, new Date());
  } catch {
    return undefined;
  }
}

export function HomeWarnings({
  interviews,
  enrolled,
  storage,
}: {
  readonly interviews: readonly InterviewRecord[];
  readonly enrolled: boolean;
  readonly storage: StorageStatus | undefined;
}) {
  const text = useUiText();
  const words = useHomeText();
  const language = useUiLanguage();
  const { platform, installed } = useInstall();
  const [previous] = useState(previousUse);
  const warnings = homeWarnings({
    now: new Date(),
    enrolled,
    interviews,
    storage,
    evictsUnused: evictsUnusedData(platform, installed),
    previousUse: previous,
  });
  if (warnings.length === 0) return null;
  const message = (warning: HomeWarning): string => {
    switch (warning.kind) {
      case 'unsent':
        return countText(words.warningUnsent, warning.count, language, { button: text.syncNow });
      case 'storage_full':
        return fill(words.warningStorageFull, { free: formatBytes(warning.left, language) });
      case 'unused_deletion':
        return warning.idleDays === undefined
          ? words.warningUnusedDeletion
          : `${countText(words.warningIdle, warning.idleDays, language)} ${words.warningUnusedDeletion}`;
    }
  };
  return (
    <div className="home-warnings">
      {warnings.map((warning) => (
        <p
          key={warning.kind}
          className="warning-notice"
          role="status"
          data-testid="home-warning"
          data-kind={warning.kind}
        >
          {message(warning)}
        </p>
      ))}
    </div>
  );
}
