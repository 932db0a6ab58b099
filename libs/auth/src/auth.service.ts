import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError, AuthUser } from '@app/common';
import { AppConfig } from '@app/config';
import { ActiveUserCache, hashPassword, mapUser, UserEntity, verifyPassword } from '@app/users';
import { LoginDto, LoginResultDto } from './dto/login.dto';

export interface JwtPayload {
  sub: string;
  role: AuthUser['role'];
}

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

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly activeUsers: ActiveUserCache,
  ) {}

  async login(dto: LoginDto): Promise<LoginResultDto> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: dto.email })
      .getOne();
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), dto.password);
    if (!user || !ok || !user.active) throw new AppError('unauthorized', 'Invalid email or password');
    user.lastLoginAt = new Date();
    await this.users.update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    const payload: JwtPayload = { sub: user.id, role: user.role };
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
    return { id: user.id, email: user.email, name: user.name, role: user.role, managerId: user.managerId };
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
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
    return verified;
  }
}
