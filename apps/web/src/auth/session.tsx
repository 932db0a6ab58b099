import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { http, setUnauthorizedHandler, tokenStore } from '../api/client';
import type { Role, User } from '../api/types';

interface Session {
  user: User | null;
  loading: boolean;
  login(email: string, password: string): Promise<User>;
  logout(): void;
  hasRole(...roles: Role[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

// The token survives a reload (localStorage); the user is read from /me. A 401 anywhere (expired
// or revoked token) clears it and the router sends the user to the login page.
export function SessionProvider({ children, onExpired }: { children: ReactNode; onExpired: () => void }) {
  const queryClient = useQueryClient();
  const token = tokenStore.get();
  const me = useQuery({ queryKey: ['me', token], queryFn: () => http.get<User>('/me'), enabled: !!token, staleTime: 5 * 60_000, retry: false });

  const logout = useCallback(() => {
    tokenStore.clear();
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.clear();
      onExpired();
    });
  }, [queryClient, onExpired]);

  const value = useMemo<Session>(
    () => ({
      user: token ? (me.data ?? null) : null,
      loading: !!token && me.isPending,
      async login(email, password) {
        const result = await http.post<{ accessToken: string; user: User }>('/auth/login', { email, password });
        tokenStore.set(result.accessToken);
        queryClient.setQueryData(['me', result.accessToken], result.user);
        return result.user;
      },
      logout,
      hasRole: (...roles) => !!me.data && roles.includes(me.data.role),
    }),
    [token, me.data, me.isPending, queryClient, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
