import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

import { ApiError, http, setUnauthorizedHandler, tokenStore } from '../api/client';
import type { Role, Schema, User } from '../api/types';

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
// The signed-in user is remembered beside the token, so a reload renders at once while /me
// confirms it in the background (the API checks every request anyway).
const USER_KEY = 'butler.user';
const rememberedUser = (): User | null => {
  try {
    return tokenStore.get() ? (JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as User | null) : null;
  } catch {
    return null;
  }
};
const remember = (user: User | null): void =>
  user ? localStorage.setItem(USER_KEY, JSON.stringify(user)) : localStorage.removeItem(USER_KEY);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(() => tokenStore.get());
  const [user, setUser] = useState<User | null>(rememberedUser);
  const [confirmed, setConfirmed] = useState(false);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    if (!token || confirmed) return;
    let current = true;
    http.get<User>('/me').then(
      (me) => {
        if (!current) return;
        remember(me);
        setUser(me);
        setConfirmed(true);
      },
      (error: unknown) => {
        // A 401 went through the unauthorized handler. Anything else (the network, a restart)
        // keeps a remembered user signed in; without one there is nothing to show.
        if (!current || (error instanceof ApiError && error.status === 401)) return;
        if (!rememberedUser()) setToken(null);
      },
    );
    return () => {
      current = false;
    };
  }, [token, confirmed]);

  const logout = useCallback(() => {
    tokenStore.clear();
    remember(null);
    setToken(null);
    setUser(null);
    setConfirmed(false);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      remember(null);
      setExpired(true);
      setToken(null);
      setUser(null);
      setConfirmed(false);
    });
  }, []);

  const value = useMemo<Session>(
    () => ({
      user: token ? user : null,
      loading: !!token && !user,
      expired,
      async login(email, password) {
        const result = await http.post<Schema<'LoginResultDto'>>('/auth/login', {
          email,
          password,
        } satisfies Schema<'LoginDto'>);
        tokenStore.set(result.accessToken);
        remember(result.user);
        setExpired(false);
        setConfirmed(true);
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
