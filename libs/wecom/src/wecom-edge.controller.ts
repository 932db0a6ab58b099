import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AppError, AuthUser, CurrentUser, originOf, Page, PageOf, Public, Roles } from '@app/common';
import { CustomerEntity, mapCustomer } from '@app/customers';

import {
  BindWecomContactDto,
  ListWecomTransfersQueryDto,
  WecomContactDto,
  WecomJsConfigDto,
  WecomJsConfigQueryDto,
  WecomSessionDto,
  WecomSignInDto,
  WecomTransferDto,
} from './dto/wecom-edge.dto';
import { CallbackQuery, WecomCallbacksService } from './wecom-callbacks.service';
import { WecomContactsService } from './wecom-contacts.service';
import { WecomSidebarService } from './wecom-sidebar.service';
import { WecomTransfersService } from './wecom-transfers.service';

// A WeCom external userid: "wm" (a WeChat user) or "wo" (a WeCom user) and letters, digits, - or _
// (32 characters as WeCom issues them; up to 64 accepted).
const EXTERNAL_USER_ID = /^w[mo][A-Za-z0-9_-]{10,62}$/;

function callbackQuery(q: Record<string, string | undefined>): CallbackQuery {
  return { msgSignature: q.msg_signature ?? '', timestamp: q.timestamp ?? '', nonce: q.nonce ?? '' };
}

// WeCom's callback URL (public: WeCom signs each request with the callback Token; see the service).
@ApiTags('wecom')
@Public()
@Controller('wecom/callback')
export class WecomCallbackController {
  constructor(private readonly callbacks: WecomCallbacksService) {}

  @Get()
  @ApiOperation({ description: "WeCom's URL check: answers the decrypted echostr as text" })
  @ApiQuery({ name: 'msg_signature', required: true })
  @ApiQuery({ name: 'timestamp', required: true })
  @ApiQuery({ name: 'nonce', required: true })
  @ApiQuery({ name: 'echostr', required: true })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The echostr decrypted', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Wrong signature, or a stale timestamp' })
  @ApiBadRequestResponse({ description: 'The echostr cannot be decrypted' })
  verify(@Query() query: Record<string, string | undefined>): Promise<string> {
    return this.callbacks.verifyUrl(callbackQuery(query), query.echostr ?? '');
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ description: "WeCom's event push: an encrypted XML body (<xml><Encrypt>…</Encrypt></xml>)" })
  @ApiConsumes('text/xml', 'application/xml')
  @ApiQuery({ name: 'msg_signature', required: true })
  @ApiQuery({ name: 'timestamp', required: true })
  @ApiQuery({ name: 'nonce', required: true })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: '"success"', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Wrong signature, a stale timestamp, or a replay' })
  @ApiBadRequestResponse({ description: 'The body cannot be read or decrypted' })
  async receive(@Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest): Promise<string> {
    const body = typeof request.body === 'string' ? request.body : '';
    await this.callbacks.receive(callbackQuery(query), body);
    return 'success';
  }
}

// The chat toolbar page (聊天工具栏): sign-in by WeCom's OAuth2, the JS-SDK signatures, and which
// client an external contact is.
@ApiTags('wecom')
@Controller('wecom')
export class WecomSidebarController {
  constructor(
    private readonly sidebar: WecomSidebarService,
    private readonly contacts: WecomContactsService,
  ) {}

  @Public()
  @Post('sidebar/session')
  @HttpCode(200)
  @ApiOkResponse({ type: WecomSessionDto })
  @ApiUnauthorizedResponse({ description: 'WECOM_OAUTH_FAILED or WECOM_USER_NOT_BOUND' })
  signIn(@Body() dto: WecomSignInDto, @Req() request: FastifyRequest): Promise<WecomSessionDto> {
    return this.sidebar.signIn(dto.code, dto.url, originOf(request));
  }

  @Get('sidebar/js-config')
  @ApiOkResponse({ type: WecomJsConfigDto })
  jsConfig(@Query() query: WecomJsConfigQueryDto): Promise<WecomJsConfigDto> {
    return this.sidebar.jsConfig(query.url);
  }

  @Get('contacts/:externalUserId')
  @ApiOkResponse({ type: WecomContactDto })
  async contact(
    @CurrentUser() actor: AuthUser,
    @Param('externalUserId') externalUserId: string,
  ): Promise<WecomContactDto> {
    checkExternalUserId(externalUserId);
    return contactView(externalUserId, await this.contacts.contactFor(actor, externalUserId));
  }

  @Post('contacts/:externalUserId/bind')
  @HttpCode(200)
  @ApiOkResponse({ type: WecomContactDto })
  async bind(
    @CurrentUser() actor: AuthUser,
    @Param('externalUserId') externalUserId: string,
    @Body() dto: BindWecomContactDto,
  ): Promise<WecomContactDto> {
    checkExternalUserId(externalUserId);
    return contactView(externalUserId, await this.contacts.bind(actor, externalUserId, dto.customerId));
  }
}

// The hand-over results a manager reads: which clients' WeCom relationships moved, and why not.
@ApiTags('wecom')
@Controller('wecom/transfers')
export class WecomTransfersController {
  constructor(private readonly transfers: WecomTransfersService) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: PageOf(WecomTransferDto) })
  list(@CurrentUser() actor: AuthUser, @Query() query: ListWecomTransfersQueryDto): Promise<Page<WecomTransferDto>> {
    return this.transfers.list(actor, query);
  }
}

function contactView(externalUserId: string, client: CustomerEntity | null): WecomContactDto {
  return { externalUserId, customerId: client?.id ?? null, customer: client ? mapCustomer(client) : null };
}

function checkExternalUserId(value: string): void {
  if (!EXTERNAL_USER_ID.test(value))
    throw AppError.invalid({ field: 'externalUserId', code: 'matches', message: 'externalUserId is not a WeCom id' });
}
