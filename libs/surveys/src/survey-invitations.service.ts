import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '@app/common';
import { chooseChannel, type ContactRefusal } from '@app/customers';
import { SettingsService, SurveySettingsDto } from '@app/settings';

import type { InvitationSource } from './entities/survey-invitation.entity';
import { SurveysRepository } from './surveys.repository';

export interface SurveyedContact {
  interactionId: string;
  customerId: string;
  // The butler who made the contact: the rating is theirs for good.
  butlerId: string;
  source: InvitationSource;
  // What came of it: only a client who was reached is asked about the contact.
  outcome: string | null;
  // A logged contact's kind (记一笔): settings.surveys.afterContactKinds names the kinds surveyed.
  kind?: string;
  // A logged contact: whether the butler logged it themselves. One a manager or an admin logs for the
  // butler is not surveyed: the rating would judge a contact the butler may not have made.
  loggedByButler?: boolean;
}

export type InvitationDecision =
  | { invited: true; invitationId: string; sendAt: Date }
  | {
      invited: false;
      reason: 'disabled' | 'not_reached' | ContactRefusal | 'cooldown';
    };

// What the contact's API response says about its survey.
export interface InvitationDecisionDto {
  invited: boolean;
  sendAt?: string;
  reason?: string;
}

export function mapInvitationDecision(decision: InvitationDecision): InvitationDecisionDto {
  return decision.invited
    ? { invited: true, sendAt: decision.sendAt.toISOString() }
    : { invited: false, reason: decision.reason };
}

// Whether this contact may invite a survey at all, before the client's consent and the cooldown: the
// one place the rule lives (follow-ups, cases and the contact log call afterContact). A resolved case
// is a contact the client took part in; any other contact counts only when the client was reached,
// so a call nobody answered never asks for a rating that would count against the butler.
export function surveyRefusal(rules: SurveySettingsDto, contact: SurveyedContact): 'disabled' | 'not_reached' | null {
  switch (contact.source) {
    case 'case':
      return rules.afterCase ? null : 'disabled';
    case 'follow_up':
      if (contact.outcome !== 'reached') return 'not_reached';
      return rules.afterFollowUp ? null : 'disabled';
    case 'contact':
      if (contact.outcome !== 'reached') return 'not_reached';
      if (!contact.loggedByButler) return 'disabled';
      return rules.afterContactKinds.some((k) => k === contact.kind) ? null : 'disabled';
    case 'recovery':
      // The manager asked for it on this call (docs/sla.md); a client not reached is not asked.
      return contact.outcome === 'reached' ? null : 'not_reached';
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// The survey rules (settings.surveys), applied inside the transaction that logs the contact
// (a completed follow-up, a resolved case, a contact logged by the butler): the invitation exists
// exactly when the contact does.
@Injectable()
export class SurveyInvitationsService {
  constructor(
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly repository: SurveysRepository,
  ) {}

  async afterContact(em: EntityManager, contact: SurveyedContact): Promise<InvitationDecision> {
    const settings = await this.settings.get(em);
    const rules = settings.surveys;
    const refused = surveyRefusal(rules, contact);
    if (refused) return { invited: false, reason: refused };
    // The client row lock serialises two contacts closing at once, so the cooldown holds.
    const customer = await this.repository.lockContact(em, contact.customerId);
    if (!customer) return { invited: false, reason: 'customer_deleted' };
    // A client no channel reaches is not invited (the channel itself is chosen when it is sent).
    const choice = chooseChannel(customer, 'surveys', settings.channels.order);
    if ('refusal' in choice) return { invited: false, reason: choice.refusal };
    const now = this.clock.now();
    // A recovery re-survey follows the low answer the client just gave: the cooldown would always
    // refuse it, and it is the one question asked on purpose.
    const recent =
      contact.source !== 'recovery' &&
      (await this.repository.invitedSince(
        em,
        contact.customerId,
        new Date(now.getTime() - rules.cooldownDays * DAY_MS),
      ));
    if (recent) return { invited: false, reason: 'cooldown' };
    const sendAt = new Date(now.getTime() + rules.delayMinutes * MINUTE_MS);
    const row = await this.repository.insertInvitation(em, contact, sendAt, now);
    if (!row) return { invited: false, reason: 'cooldown' };
    return { invited: true, invitationId: row.id, sendAt };
  }
}
