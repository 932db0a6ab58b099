import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { http, setUnauthorizedHandler, tokenStore } from '../api/client';
import type { Role, User } from '../api/types';

interface Session {
  user: User | null;
  loading: boolean;
  // The token was refused (expired or revoked): the login page says so.
  expired: boolean;
  login(email: string, password: string): Promise<User>;
  logout(): void;
  hasRole(...roles: Role[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

// The token survives a reload (localStorage); the user is read from /me. A 401 anywhere (expired
// or revoked token) clears it, and RequireAuth sends the user to the login page. Plain state, not
// TanStack Query: the login route loads no more than it needs (the query cache lives with the
// signed-in layout).
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(() => tokenStore.get());
  const [user, setUser] = useState<User | null>(null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    if (!token || user) return;
    let current = true;
    // A 401 goes through the unauthorized handler below; any other failure signs out too.
    http.get<User>('/me').then(
      (me) => current && setUser(me),
      () => current && setToken(null),
    );
    return () => {
      current = false;
    };
  }, [token, user]);

  const logout = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    setUser(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setExpired(true);
      setToken(null);
      setUser(null);
    });
  }, []);

  const value = useMemo<Session>(
    () => ({
      user: token ? user : null,
      loading: !!token && !user,
      expired,
      async login(email, password) {
        const result = await http.post<{ accessToken: string; user: User }>('/auth/login', { email, password });
        tokenStore.set(result.accessToken);
        setExpired(false);
        setUser(result.user);
        setToken(result.accessToken);
        return result.user;
      },
      logout,
      hasRole: (...roles) => !!user && roles.includes(user.role),
    }),
    [token, user, expired, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
