import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AuthUser, CurrentUser, Page, PageOf } from '@app/common';

import { CreatePurchaseDto, ListPurchasesQueryDto, mapPurchase, PurchaseDto } from './dto/purchase.dto';
import { PurchasesService } from './purchases.service';

@ApiTags('purchases')
@ApiBearerAuth()
@Controller('customers/:customerId/purchases')
export class PurchasesController {
  constructor(private readonly purchases: PurchasesService) {}

  // 201 with the new purchase; 200 with the existing one when the orderRef was recorded before.
  @Post()
  @ApiCreatedResponse({ type: PurchaseDto, description: 'Recorded' })
  @ApiOkResponse({
    type: PurchaseDto,
    description: 'The orderRef was recorded before: the first purchase, nothing created',
  })
  async create(
    @CurrentUser() actor: AuthUser,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: CreatePurchaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PurchaseDto> {
    const { purchase, created } = await this.purchases.record(actor, customerId, dto);
    void reply.status(created ? 201 : 200);
    return mapPurchase(purchase);
  }

  @Get()
  @ApiOkResponse({ type: PageOf(PurchaseDto) })
  list(
    @CurrentUser() actor: AuthUser,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Query() query: ListPurchasesQueryDto,
  ): Promise<Page<PurchaseDto>> {
    return this.purchases.list(actor, customerId, query);
  }
}
