import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/common';
import { AppConfig } from '@app/config';

import { Settings, SettingsDto, UpdateSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: SettingsDto })
  async get(): Promise<SettingsDto> {
    return this.view(await this.settings.get());
  }

  @Patch()
  @Roles('admin')
  @ApiOkResponse({ type: SettingsDto })
  async update(@CurrentUser() actor: AuthUser, @Body() dto: UpdateSettingsDto): Promise<SettingsDto> {
    return this.view(await this.settings.update(dto, actor.id));
  }

  private view(settings: Settings): SettingsDto {
    return { ...settings, sms: { ...settings.sms, signName: this.config.sms.SMS_SIGN_NAME ?? null } };
  }
}
