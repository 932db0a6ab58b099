import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AuthUser, CurrentUser, originOf, Public } from '@app/common';
import { mapUser, UserDto, UsersService } from '@app/users';

import { AuthService } from './auth.service';
import { LoginDto, LoginResultDto } from './dto/login.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  // Limited per address (apps/api/src/request-limits.ts) and per account (AuthService).
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto })
  login(@Body() dto: LoginDto, @Req() request: FastifyRequest): Promise<LoginResultDto> {
    return this.auth.login(dto, originOf(request));
  }

  // Signs the caller out everywhere: every token issued to them so far stops working.
  @ApiBearerAuth()
  @Post('auth/logout-all')
  @HttpCode(204)
  async logoutAll(@CurrentUser() actor: AuthUser): Promise<void> {
    await this.auth.logoutAll(actor.id);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() actor: AuthUser): Promise<UserDto> {
    return mapUser(await this.users.get(actor, actor.id));
  }
}
