import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/common';

import { Settings, UpdateSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  get(): Promise<Settings> {
    return this.settings.get();
  }

  @Patch()
  @Roles('admin')
  update(@CurrentUser() actor: AuthUser, @Body() dto: UpdateSettingsDto): Promise<Settings> {
    return this.settings.update(dto, actor.id);
  }
}
