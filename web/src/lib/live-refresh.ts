/**
 * Polling for the pages that show what is happening now (overview, accounts): every few seconds
 * while the tab is visible, and not at all while it is hidden.
 */
export const LIVE_REFRESH = {
  refetchInterval: 5_000,
  refetchIntervalInBackground: false,
} as const
