import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/common';

import { Settings, SettingsDto, UpdateSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOkResponse({ type: SettingsDto })
  get(): Promise<Settings> {
    return this.settings.get();
  }

  @Patch()
  @Roles('admin')
  @ApiOkResponse({ type: SettingsDto })
  update(@CurrentUser() actor: AuthUser, @Body() dto: UpdateSettingsDto): Promise<Settings> {
    return this.settings.update(dto, actor.id);
  }
}
