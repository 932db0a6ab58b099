import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, ListOf, Roles } from '@app/common';

import { CreateUserDto, ListUsersQueryDto, mapUser, UpdateUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return mapUser(await this.users.create(dto));
  }

  // Admins list everyone; managers their team.
  @Get()
  @Roles('admin', 'manager')
  @ApiOkResponse({ type: ListOf(UserDto) })
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListUsersQueryDto): Promise<{ items: UserDto[] }> {
    return { items: (await this.users.list(actor, query)).map(mapUser) };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return mapUser(await this.users.get(actor, id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return mapUser(await this.users.update(id, dto));
  }
}
