import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Not, Repository } from 'typeorm';

import { AppError, AuthUser } from '@app/common';

import { ActiveUserCache } from './active-user-cache';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './dto/user.dto';
import { AlertChannel, Role, UserEntity } from './entities/user.entity';
import { hashPassword } from './password';
import { UsersRepository } from './users.repository';

const BOOTSTRAP_LOCK_KEY = 7_310_2027;

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: UsersRepository,
    private readonly activeUsers: ActiveUserCache,
  ) {}

  async list(actor: AuthUser, query: ListUsersQueryDto): Promise<UserEntity[]> {
    return this.repository.list(actor, { role: query.role, managerId: query.managerId });
  }

  async get(actor: AuthUser, id: string): Promise<UserEntity> {
    const user = await this.repository.visible(actor, id);
    if (!user) throw AppError.notFound('User');
    return user;
  }

  async findActive(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id, active: true } });
  }

  async create(dto: CreateUserDto): Promise<UserEntity> {
    await this.checkTeam(dto.role, dto.managerId ?? null);
    checkRegion(dto.role, dto.region);
    await this.checkEmailFree(dto.email);
    const mobile = dto.mobile ?? null;
    const alertChannels = dto.alertChannels ?? ['email'];
    await this.checkAlertContact(null, mobile, alertChannels);
    if (dto.wecomUserId) await this.checkWecomUserIdFree(dto.wecomUserId, null);
    const user = this.users.create({
      email: dto.email,
      name: dto.name,
      role: dto.role,
      managerId: dto.role === 'butler' ? dto.managerId! : null,
      mobile,
      alertChannels,
      wecomUserId: dto.wecomUserId ?? null,
      region: dto.role === 'manager' ? (dto.region ?? null) : null,
      passwordHash: await hashPassword(dto.password),
    });
    return this.saveUnique(user);
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserEntity> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw AppError.notFound('User');
    const role = dto.role ?? user.role;
    // A butler keeps their manager unless a new one is given; other roles have none.
    const managerId = role === 'butler' ? (dto.managerId ?? user.managerId) : null;
    if (role !== 'butler' && dto.managerId) {
      throw AppError.invalid({
        field: 'managerId',
        code: 'emptyUnlessButler',
        message: 'managerId must be empty unless role is butler',
      });
    }
    await this.checkTeam(role, managerId);
    checkRegion(role, dto.region);
    if (role !== 'manager' && user.role === 'manager') await this.checkNoTeam(user.id);
    if (user.role === 'butler' && (role !== 'butler' || (dto.active === false && user.active)))
      await this.checkNoBook(user.id);
    if (dto.email && dto.email !== user.email) await this.checkEmailFree(dto.email);
    const mobile = dto.mobile === undefined ? user.mobile : dto.mobile;
    const alertChannels = dto.alertChannels ?? user.alertChannels;
    await this.checkAlertContact(user.id, mobile, alertChannels);
    if (dto.wecomUserId) await this.checkWecomUserIdFree(dto.wecomUserId, user.id);
    if (dto.active === false && user.role === 'admin') await this.checkNotLastAdmin(user.id);
    if (dto.role && dto.role !== 'admin' && user.role === 'admin') await this.checkNotLastAdmin(user.id);
    // A new password, role or active flag ends every session signed in before it: a stolen token
    // must not outlive the password it was taken with, nor come back when a user is reactivated.
    const endsSessions =
      Boolean(dto.password) || role !== user.role || (dto.active !== undefined && dto.active !== user.active);
    Object.assign(user, {
      email: dto.email ?? user.email,
      name: dto.name ?? user.name,
      role,
      managerId,
      active: dto.active ?? user.active,
      mobile,
      alertChannels,
      wecomUserId: dto.wecomUserId !== undefined ? dto.wecomUserId : user.wecomUserId,
      region: role !== 'manager' ? null : dto.region !== undefined ? dto.region : user.region,
    });
    if (dto.password) user.passwordHash = await hashPassword(dto.password);
    if (endsSessions) user.tokensValidAfter = new Date();
    const saved = await this.saveUnique(user);
    this.activeUsers.invalidate(id);
    return saved;
  }

  // First start with no admin (a fresh database, or one holding only seeded demo staff): create
  // it once, even with several processes starting together.
  // `beforeCreate` may refuse (throw) once it is known an admin is to be created.
  async ensureInitialAdmin(
    email: string,
    password: string,
    beforeCreate: () => void = () => undefined,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      await this.repository.lockBootstrap(em, BOOTSTRAP_LOCK_KEY);
      if ((await em.count(UserEntity, { where: { role: 'admin' } })) > 0) return false;
      beforeCreate();
      if ((await em.count(UserEntity, { where: { email: email.toLowerCase() } })) > 0) {
        throw new Error(`ADMIN_EMAIL ${email} already belongs to a user who is not an admin; choose another address`);
      }
      await em.save(
        em.create(UserEntity, {
          email: email.toLowerCase(),
          name: '系统管理员',
          role: 'admin',
          managerId: null,
          passwordHash: await hashPassword(password),
        }),
      );
      return true;
    });
  }

  private async checkTeam(role: Role, managerId: string | null): Promise<void> {
    if (role !== 'butler') {
      if (managerId)
        throw AppError.invalid({
          field: 'managerId',
          code: 'emptyUnlessButler',
          message: 'managerId must be empty unless role is butler',
        });
      return;
    }
    if (!managerId)
      throw AppError.invalid({ field: 'managerId', code: 'required', message: 'managerId is required for a butler' });
    const manager = await this.users.findOne({ where: { id: managerId } });
    if (!manager || manager.role !== 'manager' || !manager.active) {
      throw AppError.invalid({
        field: 'managerId',
        code: 'isActiveManager',
        message: 'managerId must be an active manager',
      });
    }
  }

  private async checkNoTeam(managerId: string): Promise<void> {
    const team = await this.users.count({ where: { managerId } });
    if (team > 0)
      throw new AppError('conflict', `This manager still has ${team} butler(s); move them first`, {
        code: 'MANAGER_HAS_TEAM',
        butlers: team,
      });
  }

  // A butler promoted or deactivated would keep their clients, open follow-ups and open cases,
  // where no butler works them any more: those are moved first, as a manager's team is. Work on
  // deleted clients does not count: nobody can reach it to move it.
  private async checkNoBook(butlerId: string): Promise<void> {
    const left = await this.repository.butlerBook(butlerId);
    const parts = [
      left.clients > 0 ? `${left.clients} client(s)` : null,
      left.follow_ups > 0 ? `${left.follow_ups} open follow-up(s)` : null,
      left.cases > 0 ? `${left.cases} open case(s)` : null,
    ].filter((p) => p !== null);
    if (parts.length > 0)
      throw new AppError('conflict', `This butler still has ${parts.join(', ')}; reassign them first`, {
        code: 'BUTLER_HAS_OPEN_WORK',
        clients: left.clients,
        followUps: left.follow_ups,
        cases: left.cases,
      });
  }

  private async checkNotLastAdmin(id: string): Promise<void> {
    const others = await this.repository.otherActiveAdmins(id);
    if (others === 0)
      throw new AppError('conflict', 'The last active admin cannot be demoted or deactivated', { code: 'LAST_ADMIN' });
  }

  // The butler bound to a WeCom userid (an active one), for what WeCom tells about its members.
  async byWecomUserId(wecomUserId: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { wecomUserId, active: true } });
  }

  // Every active butler bound to WeCom.
  async wecomButlers(): Promise<UserEntity[]> {
    return this.users.find({
      where: { role: 'butler', active: true, wecomUserId: Not(IsNull()) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  private async checkWecomUserIdFree(wecomUserId: string, selfId: string | null): Promise<void> {
    const taken = await this.users.findOne({ where: { wecomUserId }, select: { id: true } });
    if (taken && taken.id !== selfId) throw wecomUserIdTaken();
  }

  private async checkEmailFree(email: string): Promise<void> {
    const taken = await this.users.findOne({ where: { email } });
    if (taken)
      throw new AppError('conflict', 'email is already used by another user', {
        code: 'USER_EMAIL_TAKEN',
        existingId: taken.id,
      });
  }

  // A mobile belongs to one user; SMS alerts need one. Both are a 400 naming the field.
  private async checkAlertContact(
    selfId: string | null,
    mobile: string | null,
    alertChannels: readonly AlertChannel[],
  ): Promise<void> {
    if (alertChannels.includes('sms') && !mobile)
      throw AppError.invalid({
        field: 'alertChannels',
        code: 'alertSmsNeedsMobile',
        message: 'alertChannels: sms needs a mobile',
      });
    if (!mobile) return;
    const taken = await this.users.findOne({ where: { mobile }, select: { id: true } });
    if (taken && taken.id !== selfId) throw mobileTaken();
  }

  private async saveUnique(user: UserEntity): Promise<UserEntity> {
    try {
      return await this.users.save(user);
    } catch (error) {
      // Two requests racing for one email or mobile: the unique index decides.
      const e = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      if (e.code === '23505' && (e.constraint ?? e.driverError?.constraint) === 'UQ_users_mobile') throw mobileTaken();
      if (e.code === '23505' && (e.constraint ?? e.driverError?.constraint) === 'UQ_users_wecom_user_id')
        throw wecomUserIdTaken();
      if (e.code === '23505') {
        throw new AppError('conflict', 'email is already used by another user', { code: 'USER_EMAIL_TAKEN' });
      }
      throw error;
    }
  }
}

function mobileTaken(): AppError {
  return AppError.invalid({ field: 'mobile', code: 'mobileTaken', message: 'mobile is already used by another user' });
}

function wecomUserIdTaken(): AppError {
  return AppError.invalid({
    field: 'wecomUserId',
    code: 'wecomUserIdTaken',
    message: 'wecomUserId is already bound to another user',
  });
}

// A region belongs to a team, i.e. to its manager.
function checkRegion(role: Role, region: string | null | undefined): void {
  if (region && role !== 'manager')
    throw AppError.invalid({
      field: 'region',
      code: 'emptyUnlessManager',
      message: 'region must be empty unless role is manager',
    });
}
