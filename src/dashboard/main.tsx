// Starts the dashboard, a page of its own (/dashboard/) served by the central server: none of it
// is in the interviewer app's bundle, and the tablets' service worker never caches it.
import '../app/components/no-eval.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The app's plain stylesheet gives the dashboard the same controls, cards and quota colours.
import '../app/styles.css';
import './dashboard.css';
import { takeLinkToken } from './account.ts';
import type { Fetch } from './api.ts';
import { DashboardApi } from './api.ts';
import { Dashboard } from './Dashboard.tsx';

// A plain function, never `fetch` kept as a method (browsers refuse it with "Illegal invocation").
const fetcher: Fetch = (url, init) => fetch(url, { ...init, cache: 'no-store' });

// Read once, before React renders (twice, in development), and taken out of the address bar.
const linkToken = takeLinkToken(window.location, window.history);

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <Dashboard api={new DashboardApi(fetcher)} linkToken={linkToken} />
    </StrictMode>,
  );
}
