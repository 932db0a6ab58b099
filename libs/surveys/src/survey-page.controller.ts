import { ArgumentsHost, Body, Catch, Controller, ExceptionFilter, Get, Header, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle, Throttle, ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/common';
import type { RawForm } from './survey-form';
import { SURVEY_PAGES } from './survey-page';
import { SurveyResponsesService } from './survey-responses.service';

// Clients see a Chinese page, not JSON, when they hit the limit.
@Catch(ThrottlerException)
class TooManyRequestsPage implements ExceptionFilter {
  catch(_error: ThrottlerException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(429).header('content-type', 'text/html; charset=utf-8').header('retry-after', '60').send(SURVEY_PAGES.tooMany());
  }
}

// The client's survey page (public, HTML, no JavaScript). Rate-limited per IP: with 256-bit
// tokens guessing is hopeless anyway, but a flood should not reach the database.
@ApiExcludeController()
@Public()
@UseGuards(ThrottlerGuard)
@UseFilters(TooManyRequestsPage)
@Throttle({ survey: {} })
@SkipThrottle({ login: true })
@Controller('s')
export class SurveyPageController {
  constructor(private readonly surveys: SurveyResponsesService) {}

  @Get(':token')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  async view(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const page = await this.surveys.view(token);
    void reply.status(page.status);
    return page.html;
  }

  @Post(':token')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  async submit(@Param('token') token: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const form: RawForm = body && typeof body === 'object' && !Array.isArray(body) ? (body as RawForm) : {};
    const page = await this.surveys.submit(token, form);
    void reply.status(page.status);
    return page.html;
  }
}
