import { createSecretKey } from 'node:crypto';

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '@app/config';
import { UserEntity, UsersModule } from '@app/users';

import { AuthController } from './auth.controller';
import { JwtAuthGuard, RolesGuard } from './auth.guards';
import { AuthService } from './auth.service';
import { SignInEntity } from './entities/sign-in.entity';
import { InitialAdminService } from './initial-admin.service';

@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([UserEntity, SignInEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A prepared key: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every verify, which cost a quarter of the CPU of a simple read.
        secret: createSecretKey(Buffer.from(config.auth.JWT_SECRET)),
        signOptions: { expiresIn: config.auth.JWT_TTL_SECONDS, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    InitialAdminService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
