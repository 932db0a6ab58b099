import { Injectable } from '@nestjs/common';

import { PublicPage, PublicPages, RequestOrigin } from '@app/common';
import { AppConfig } from '@app/config';

import { SURVEY_PAGES } from './survey-page';
import { SurveyResponsesService } from './survey-responses.service';

// The client's survey page, GET and POST /s/:token: public, HTML, no JavaScript. Registered by
// apps/api with the other client pages (registerPublicPages).
//
// Rate-limited per IP (SURVEY_RATE_LIMIT a minute, GET and POST together), counted in Redis across
// API processes: with 256-bit tokens guessing is hopeless anyway, but a flood should not reach the
// database.
@Injectable()
export class SurveyPages implements PublicPages {
  readonly path = '/s/:token';
  readonly perMinute: number;
  readonly errorPages = {
    badRequest: SURVEY_PAGES.badRequest(),
    tooMany: SURVEY_PAGES.tooMany(),
    failed: SURVEY_PAGES.failed(),
  };

  constructor(
    private readonly surveys: SurveyResponsesService,
    config: AppConfig,
  ) {
    this.perMinute = config.auth.SURVEY_RATE_LIMIT;
  }

  view(token: string): Promise<PublicPage> {
    return this.surveys.view(token);
  }

  submit(token: string, form: Record<string, unknown>, origin: RequestOrigin): Promise<PublicPage> {
    return this.surveys.submit(token, form, origin);
  }
}
