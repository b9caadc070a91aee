// The published questionnaires as a page reads them (published.ts), or why they could not be read,
// read again whenever `reads` changes: the site's page and the admin's Questionnaires page share it.
import { useEffect, useState } from 'react';
import type { DashboardApi } from '../api.ts';
import type { Published } from '../published.ts';
import { readPublished } from '../published.ts';

export type PublishedState = Published | { readonly failure: string } | undefined;

export function usePublished(
  api: DashboardApi,
  explain: (failure: unknown) => string,
  reads = 0,
): PublishedState {
  const [published, setPublished] = useState<PublishedState>();
  useEffect(() => {
    let cancelled = false;
    readPublished(api).then(
      (read) => {
        if (!cancelled) setPublished(read);
      },
      (failure: unknown) => {
        if (!cancelled) setPublished({ failure: explain(failure) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, explain, reads]);
  return published;
}
