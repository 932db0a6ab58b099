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


@Injectable()
export class AuthService {
  // Verified when the email is unknown, so a wrong email costs the same time as a wrong password.
  private readonly dummyHash = hashPassword(randomUUID());

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
    let payload: JwtPayload;
    try {
      payload = await this.jwt.verifyAsync<JwtPayload>(token);
    } catch {
      return null;
    }
    if (typeof payload.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return null;
    const user = await this.activeUsers.get(payload.sub);
    if (!user) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role, managerId: user.managerId };
  }
}
