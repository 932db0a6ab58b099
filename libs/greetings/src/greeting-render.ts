import { AROMA_NAMES, AromaType } from '@app/catalog';
import { shanghaiDay } from '@app/common';
import { AppConfig, purposeKey } from '@app/config';
import { salutation } from '@app/customers';
import { SMS_OPT_OUT } from '@app/settings';

import type { GreetingContext } from './audience.repository';
import { renderGreeting } from './template-rules';
import { festivalContext } from './templates.service';
import { unsubscribeToken } from './unsubscribe-token';

// A campaign greeting as the client reads it: the template snapshot filled for the client, then
// the unsubscribe line. The runner sends exactly this; the campaign preview shows it.
export function renderCampaignGreeting(
  campaign: { occasion: string; sendAt: Date; subject: string; body: string },
  ctx: GreetingContext,
  unsubscribeUrl: string,
): { subject: string; text: string } {
  const festival = festivalContext(campaign.occasion, campaign.sendAt);
  const context = {
    customer: { name: ctx.name, salutation: salutation(ctx.name, ctx.gender) },
    butler: { name: ctx.butlerName },
    festival,
    favoriteAroma: ctx.favoriteAroma ? (AROMA_NAMES[ctx.favoriteAroma as AromaType] ?? '') : '',
    // The festival's year: a 春节 greeting sent in December names the coming year.
    year: Number((festival.date || shanghaiDay(campaign.sendAt)).slice(0, 4)),
  };
  const text = `${renderGreeting(campaign.body, context)}\n\n——\n如不希望再收到节日与生日问候，可在此退订：${unsubscribeUrl}`;
  return { subject: renderGreeting(campaign.subject, context), text };
}

// A campaign greeting by WeCom: a 群发 task sends one text to each client it names, so the text is
// not personal (the client is addressed as 客户), and it carries no email unsubscribe link (a WeCom
// client answers their butler, or removes the contact).
export function renderCampaignWecom(
  campaign: { occasion: string; sendAt: Date; body: string },
  ctx: Pick<GreetingContext, 'butlerName'>,
): { text: string } {
  const festival = festivalContext(campaign.occasion, campaign.sendAt);
  const context = {
    customer: { name: '', salutation: '客户' },
    butler: { name: ctx.butlerName },
    festival,
    favoriteAroma: '',
    year: Number((festival.date || shanghaiDay(campaign.sendAt)).slice(0, 4)),
  };
  return { text: renderGreeting(campaign.body, context) };
}

// The client's own unsubscribe link.
export function unsubscribeUrlFor(config: AppConfig, customerId: string): string {
  const token = unsubscribeToken(purposeKey(config.auth.JWT_SECRET, 'unsubscribe'), customerId);
  return `${config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/u/${token}`;
}

// A campaign greeting by SMS: the approved template of the occasion (settings sms.templates) and
// its variables; the text is what the phone shows after the 签名 (kept for the log and preview).
export function renderCampaignSms(
  campaign: { occasion: string; sendAt: Date },
  ctx: GreetingContext,
  template: { code: string; text: string },
): { templateCode: string; params: Record<string, string>; text: string } {
  const params = {
    name: salutation(ctx.name, ctx.gender),
    butler: ctx.butlerName,
    festival: festivalContext(campaign.occasion, campaign.sendAt).name,
  };
  const text = template.text.replace(
    /\$\{([A-Za-z0-9_]+)\}/g,
    (_, name: string) => params[name as keyof typeof params] ?? '',
  );
  return { templateCode: template.code, params, text };
}

// Marketing SMS end with the opt-out; settings refuse a greeting template without it, and a send
// checks again (a template stored before the rule).
export const endsWithOptOut = (text: string): boolean => text.trimEnd().endsWith(SMS_OPT_OUT);
// What the campaign preview shows in place of a client's link: the link is the client's key to
// unsubscribe, and the staff who preview a campaign have no use for it.
export function maskedUnsubscribeUrl(config: AppConfig): string {
  return `${config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/u/（客户专属退订链接）`;
}
