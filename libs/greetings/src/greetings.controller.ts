import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, ListOf, Roles } from '@app/common';

import { CampaignsService } from './campaigns.service';
import {
  CampaignDto,
  CampaignPreviewDto,
  CampaignRetryDto,
  CreateCampaignDto,
  CreateTemplateDto,
  mapCampaign,
  mapTemplate,
  PreviewQueryDto,
  TemplateDto,
  TemplateListDto,
  TemplatePreviewDto,
  UpdateCampaignDto,
  UpdateTemplateDto,
} from './dto/greetings.dto';
import { PLACEHOLDERS } from './template-rules';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
@Roles('admin')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  // Managers read templates (to pick one for a campaign and preview it); only admins write them.
  @Get()
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: TemplateListDto })
  async list(): Promise<TemplateListDto> {
    return { items: (await this.templates.list()).map(mapTemplate), placeholders: PLACEHOLDERS };
  }

  @Get(':id')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: TemplateDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TemplateDto> {
    return mapTemplate(await this.templates.get(id));
  }

  @Post()
  @ApiCreatedResponse({ type: TemplateDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateTemplateDto): Promise<TemplateDto> {
    return mapTemplate(await this.templates.create(actor, dto));
  }

  @Patch(':id')
  @ApiOkResponse({ type: TemplateDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTemplateDto,
  ): Promise<TemplateDto> {
    return mapTemplate(await this.templates.update(actor, id, dto));
  }

  @Get(':id/preview')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: TemplatePreviewDto })
  preview(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PreviewQueryDto,
  ): Promise<TemplatePreviewDto> {
    return this.templates.preview(actor, id, query.customerId);
  }
}

@ApiTags('greetings')
@ApiBearerAuth()
@Controller('greetings/campaigns')
@Roles('manager', 'admin')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @ApiCreatedResponse({ type: CampaignDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCampaignDto): Promise<CampaignDto> {
    return mapCampaign(await this.campaigns.create(actor, dto));
  }

  @Get()
  @ApiOkResponse({ type: ListOf(CampaignDto) })
  async list(@CurrentUser() actor: AuthUser): Promise<{ items: CampaignDto[] }> {
    const campaigns = await this.campaigns.list(actor);
    const failures = await this.campaigns.failuresOf(campaigns);
    return { items: campaigns.map((c) => mapCampaign(c, null, failures.get(c.id))) };
  }

  // Progress: audience, pending, sent, failed, skipped (by reason).
  @Get(':id')
  @ApiOkResponse({ type: CampaignDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    const campaign = await this.campaigns.get(actor, id);
    return mapCampaign(campaign, await this.campaigns.progress(campaign));
  }

  // Before confirming: the greeting for three clients of the audience, and whom it reaches.
  @Get(':id/preview')
  @ApiOkResponse({ type: CampaignPreviewDto })
  preview(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignPreviewDto> {
    return this.campaigns.preview(actor, id);
  }

  // Send the failed messages once more (each once only), after their cause is fixed.
  @Post(':id/retry-failed')
  @HttpCode(200)
  @ApiOkResponse({ type: CampaignRetryDto })
  async retryFailed(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignRetryDto> {
    const { campaign, retried } = await this.campaigns.retryFailed(actor, id);
    return { retried, campaign: mapCampaign(campaign, await this.campaigns.progress(campaign)) };
  }

  // Confirm a draft, or cancel.
  @Patch(':id')
  @ApiOkResponse({ type: CampaignDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCampaignDto,
  ): Promise<CampaignDto> {
    const campaign = await this.campaigns.setStatus(actor, id, dto.status, dto.confirmQuietHours);
    return mapCampaign(campaign, await this.campaigns.progress(campaign));
  }
}
