import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, ListOf, Page, PageOf, Roles } from '@app/common';

import {
  CreateWebhookDto,
  ListDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

// Outbound webhooks: admins only (they send client data to another system).
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOkResponse({ type: ListOf(WebhookDto) })
  async list(): Promise<{ items: WebhookDto[] }> {
    return { items: await this.webhooks.list() };
  }

  @Post()
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(actor, dto);
  }

  @Get('deliveries')
  @ApiOkResponse({ type: PageOf(WebhookDeliveryDto) })
  deliveries(@Query() query: ListDeliveriesQueryDto): Promise<Page<WebhookDeliveryDto>> {
    return this.webhooks.deliveries(query);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookDto })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return this.webhooks.update(actor, id, dto);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookWithSecretDto })
  rotate(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }
}
