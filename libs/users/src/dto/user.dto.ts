import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

import { IsMainlandMobile } from '@app/common';

import { ALERT_CHANNELS, AlertChannel, Role, ROLES, UserEntity } from '../entities/user.entity';

// A WeCom userid: letters, digits and _ . @ - (WeCom's own rule), at most 64.
export const WECOM_USER_ID_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

// What a user is reached and known by besides the email, the same on create and update.
class UserContactFieldsDto {
  // A mainland mobile for SMS alerts; null (on update) removes it.
  @IsOptional()
  @IsMainlandMobile()
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '13812345678',
    description: 'Mainland mobile (SMS alerts)',
  })
  mobile?: string | null;

  // The channels alerts reach this user on; sms needs a mobile.
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALERT_CHANNELS.length)
  @ArrayUnique()
  @IsIn(ALERT_CHANNELS, { each: true })
  @ApiPropertyOptional({ enum: ALERT_CHANNELS, isArray: true, description: 'Default ["email"]' })
  alertChannels?: AlertChannel[];

  // 企业微信 UserID (通讯录 → 成员 → 账号); null unbinds.
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(trim)
  @IsString()
  @Matches(WECOM_USER_ID_PATTERN)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: WECOM_USER_ID_PATTERN.source, maxLength: 64 })
  wecomUserId?: string | null;

  // A manager's team's region (华东, 西南…), for the reports by team; null (on update) removes it.
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 40, description: "A manager's team's region" })
  region?: string | null;
}

export class CreateUserDto extends UserContactFieldsDto {
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  email!: string;

  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ type: String, minLength: 1, maxLength: 100 })
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  // Required for a butler (their manager), refused for the other roles.
  @ValidateIf((o: CreateUserDto) => o.role === 'butler' || o.managerId !== undefined)
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Required for a butler' })
  managerId?: string;

  @IsString()
  @MinLength(8)
  @MaxLength(200)
  @ApiProperty({ type: String, minLength: 8, maxLength: 200 })
  password!: string;
}

export class UpdateUserDto extends UserContactFieldsDto {
  @IsOptional()
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  @ApiPropertyOptional({ type: String, format: 'email', maxLength: 254 })
  email?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  managerId?: string;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  active?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  @ApiPropertyOptional({ type: String, minLength: 8, maxLength: 200 })
  password?: string;
}

export class ListUsersQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  managerId?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  // A butler's manager (their team); null for managers and admins.
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  managerId!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Mainland mobile (SMS alerts)' })
  mobile!: string | null;

  @ApiProperty({ enum: ALERT_CHANNELS, isArray: true })
  alertChannels!: AlertChannel[];

  // 企业微信 UserID, or null when not bound.
  @ApiProperty({ type: String, nullable: true })
  wecomUserId!: string | null;

  // A manager's team's region; null for the other roles.
  @ApiProperty({ type: String, nullable: true })
  region!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export function mapUser(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    managerId: user.managerId,
    active: user.active,
    mobile: user.mobile,
    alertChannels: user.alertChannels,
    wecomUserId: user.wecomUserId,
    region: user.region,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
