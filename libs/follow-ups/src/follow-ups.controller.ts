import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, Clock, CurrentUser, Page, PageOf } from '@app/common';
import { mapInvitationDecision } from '@app/surveys';

import {
  CompletedFollowUpDto,
  CompleteFollowUpDto,
  CreateFollowUpDto,
  FollowUpDto,
  ListFollowUpsQueryDto,
  mapFollowUp,
  UpdateFollowUpDto,
} from './dto/follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('follow-ups')
export class FollowUpsController {
  constructor(
    private readonly followUps: FollowUpsService,
    private readonly clock: Clock,
  ) {}

  // A butler for their own client (butlerId forced to them); a manager or admin for their team's.
  @Post()
  @ApiCreatedResponse({ type: FollowUpDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateFollowUpDto): Promise<FollowUpDto> {
    return mapFollowUp(await this.followUps.create(actor, dto), this.clock.now());
  }

  @Get()
  @ApiOkResponse({ type: PageOf(FollowUpDto) })
  list(@CurrentUser() actor: AuthUser, @Query() query: ListFollowUpsQueryDto): Promise<Page<FollowUpDto>> {
    return this.followUps.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: FollowUpDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<FollowUpDto> {
    return mapFollowUp(await this.followUps.get(actor, id), this.clock.now());
  }

  // The owning butler reschedules; a manager or admin also reassigns (with the client) or cancels.
  @Patch(':id')
  @ApiOkResponse({ type: FollowUpDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateFollowUpDto,
  ): Promise<FollowUpDto> {
    return mapFollowUp(await this.followUps.update(actor, id, dto), this.clock.now());
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: CompletedFollowUpDto })
  async complete(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CompleteFollowUpDto,
  ): Promise<CompletedFollowUpDto> {
    const { followUp, survey } = await this.followUps.complete(actor, id, dto);
    return { ...mapFollowUp(followUp, this.clock.now()), survey: survey && mapInvitationDecision(survey) };
  }
}
