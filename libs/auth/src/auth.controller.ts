import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { AuthUser, CurrentUser, Public } from '@app/common';
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

  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<LoginResultDto> {
    return this.auth.login(dto);
  }

  @ApiBearerAuth()
  @Get('me')
  async me(@CurrentUser() actor: AuthUser): Promise<UserDto> {
    return mapUser(await this.users.get(actor, actor.id));
  }
}
