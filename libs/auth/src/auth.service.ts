import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppError, AuthUser, Clock, hashOrigin, RequestOrigin } from '@app/common';
import { AppConfig } from '@app/config';
import { LimitsRedis } from '@app/queue';
import { ActiveUserCache, hashPassword, mapUser, UserEntity, UsersRepository, verifyPassword } from '@app/users';

import { LoginDto, LoginResultDto } from './dto/login.dto';
import { SignInEntity, SignInMethod } from './entities/sign-in.entity';
import { HashGate } from './hash-gate';

export interface JwtPayload {
  sub: string;
  role: AuthUser['role'];
  // Issued at, in milliseconds (the standard `iat` has whole seconds: a token signed in the second
  // a user's sessions were ended must not be mistaken for one from before).
  iatMs?: number;
}

const NO_ORIGIN: RequestOrigin = { ip: null, userAgent: null };

// Tokens whose signature was checked, remembered until they expire (at most this many).
const MAX_VERIFIED_TOKENS = 10_000;

@Injectable()
export class AuthService {
  // Verified when the email is unknown, so a wrong email costs the same time as a wrong password.
  private readonly dummyHash = hashPassword(randomUUID());
  // A client sends the same token with every request, and checking its signature costs ~15 µs,
  // a twentieth of a cached read: a token verified once is remembered until it expires. The
  // user row below is still consulted on every request.
  private readonly verified = new Map<string, JwtPayload & { exp: number }>();
  private readonly hashes: HashGate;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly userRows: UsersRepository,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly activeUsers: ActiveUserCache,
    private readonly limits: LimitsRedis,
    @InjectRepository(SignInEntity) private readonly signIns: Repository<SignInEntity>,
    private readonly clock: Clock,
  ) {
    this.hashes = new HashGate(config.auth.PASSWORD_HASH_CONCURRENCY, config.auth.PASSWORD_HASH_QUEUE);
  }

  async login(dto: LoginDto, origin: RequestOrigin = NO_ORIGIN): Promise<LoginResultDto> {
    // Failures are counted per account whatever the address (a botnet rotates addresses), keyed by
    // a hash of the email so Redis holds no address book; unknown emails count the same.
    const accountKey = `login-account:${createHash('sha256').update(dto.email).digest('hex').slice(0, 32)}`;
    const { LOGIN_ACCOUNT_FAILURES, LOGIN_ACCOUNT_WINDOW_MINUTES } = this.config.auth;
    if ((await this.limits.count(accountKey)) >= LOGIN_ACCOUNT_FAILURES) {
      throw new AppError(
        'too_many',
        `Too many failed sign-ins for this account, try again within ${LOGIN_ACCOUNT_WINDOW_MINUTES} minutes`,
        {
          code: 'LOGIN_ACCOUNT_LOCKED',
          minutes: LOGIN_ACCOUNT_WINDOW_MINUTES,
        },
      );
    }
    const user = await this.userRows.withPasswordHash(dto.email);
    const hash = user?.passwordHash ?? (await this.dummyHash);
    const ok = await this.hashes.run(() => verifyPassword(hash, dto.password));
    if (!user || !ok || !user.active) {
      await this.limits.add(accountKey, LOGIN_ACCOUNT_WINDOW_MINUTES * 60_000);
      throw new AppError('unauthorized', 'Invalid email or password', { code: 'LOGIN_FAILED' });
    }
    await this.limits.reset(accountKey);
    user.lastLoginAt = new Date();
    await this.users.update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    await this.recordSignIn(user.id, 'password', origin);
    const payload: JwtPayload = { sub: user.id, role: user.role, iatMs: Date.now() };
    return {
      accessToken: await this.jwt.signAsync(payload),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.JWT_TTL_SECONDS,
      user: mapUser(user),
    };
  }

  // A session for a user another provider identified (WeCom's OAuth2 in the chat toolbar): the same
  // token a password sign-in gives. None for an inactive or unknown user.
  async sessionFor(userId: string, origin: RequestOrigin = NO_ORIGIN): Promise<LoginResultDto | null> {
    const user = await this.users.findOne({ where: { id: userId } });
    if (!user || !user.active) return null;
    user.lastLoginAt = new Date();
    await this.users.update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    await this.recordSignIn(user.id, 'wecom', origin);
    const payload: JwtPayload = { sub: user.id, role: user.role, iatMs: Date.now() };
    return {
      accessToken: await this.jwt.signAsync(payload),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.JWT_TTL_SECONDS,
      user: mapUser(user),
    };
  }

  // The token proves who signed in; the user row decides whether they still may act, so a
  // deactivated user is locked out (at once on this process, within seconds on others) rather
  // than when the token expires.
  async authenticate(token: string): Promise<AuthUser | null> {
    const payload = this.verified.get(token) ?? (await this.verify(token));
    // As jsonwebtoken decides it: expired from the second of `exp`.
    if (!payload || Math.floor(Date.now() / 1000) >= payload.exp) {
      this.verified.delete(token);
      return null;
    }
    if (typeof payload.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return null;
    const user = await this.activeUsers.get(payload.sub);
    if (!user) return null;
    if (user.tokensValidAfter && issuedAtMs(payload) < user.tokensValidAfter.getTime()) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role, managerId: user.managerId };
  }

  // Ends every session of the user, this one included (a stolen phone, a shared computer).
  async logoutAll(userId: string): Promise<void> {
    await this.users.update({ id: userId }, { tokensValidAfter: new Date() });
    this.activeUsers.invalidate(userId);
  }

  // Where the session began, as keyed hashes (rating integrity reads them; nothing else does).
  private async recordSignIn(userId: string, method: SignInMethod, origin: RequestOrigin): Promise<void> {
    const { ipHash, uaHash } = hashOrigin(origin, this.config.auth.JWT_SECRET);
    await this.signIns.insert({ userId, method, at: this.clock.now(), ipHash, uaHash });
  }

  private async verify(token: string): Promise<(JwtPayload & { exp: number }) | null> {
    let payload: JwtPayload & { exp?: unknown };
    try {
      payload = await this.jwt.verifyAsync<JwtPayload & { exp?: unknown }>(token);
    } catch {
      return null;
    }
    // Every token this service signs expires; one that does not is not ours to trust.
    if (typeof payload.exp !== 'number') return null;
    const verified = { ...payload, exp: payload.exp };
    if (typeof (payload as { iat?: unknown }).iat !== 'number' && typeof payload.iatMs !== 'number') return null;
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
    return verified;
  }
}

function issuedAtMs(payload: JwtPayload & { iat?: number }): number {
  return typeof payload.iatMs === 'number' ? payload.iatMs : (payload.iat ?? 0) * 1000;
}
