import { QueryClient } from '@tanstack/react-query';

import { ApiError } from '../api/client';

// Server state of the signed-in console. Cleared when the signed-in layout goes away (sign-out,
// expired token), so the next user never sees the last one's data.
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
