import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '@app/common';
import { contactRefusal } from '@app/customers';
import { SettingsService } from '@app/settings';

import type { InvitationSource } from './entities/survey-invitation.entity';
import { SurveysRepository } from './surveys.repository';

export interface SurveyedContact {
  interactionId: string;
  customerId: string;
  // The butler who made the contact: the rating is theirs for good.
  butlerId: string;
  source: InvitationSource;
  // How the contact went (a follow-up's outcome); a case passes none (resolved).
  outcome?: string;
}

export type InvitationDecision =
  | { invited: true; invitationId: string; sendAt: Date }
  | {
      invited: false;
      reason: 'not_reached' | 'disabled' | 'no_consent' | 'no_email' | 'cooldown' | 'customer_deleted';
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

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// The survey rules (settings.surveys), applied inside the transaction that logs the contact
// (a completed follow-up, a resolved case): the invitation exists exactly when the contact does.
@Injectable()
export class SurveyInvitationsService {
  constructor(
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly repository: SurveysRepository,
  ) {}

  async afterContact(em: EntityManager, contact: SurveyedContact): Promise<InvitationDecision> {
    // Only a contact that reached the client is rated: no survey thanks them for a call they missed.
    if (contact.outcome !== undefined && contact.outcome !== 'reached')
      return { invited: false, reason: 'not_reached' };
    const rules = (await this.settings.get(em)).surveys;
    if (!(contact.source === 'follow_up' ? rules.afterFollowUp : rules.afterCase))
      return { invited: false, reason: 'disabled' };
    // The client row lock serialises two contacts closing at once, so the cooldown holds.
    const customer = await this.repository.lockContact(em, contact.customerId);
    if (!customer) return { invited: false, reason: 'customer_deleted' };
    const refusal = contactRefusal(customer, 'surveys');
    if (refusal) return { invited: false, reason: refusal };
    const now = this.clock.now();
    const recent = await this.repository.invitedSince(
      em,
      contact.customerId,
      new Date(now.getTime() - rules.cooldownDays * DAY_MS),
    );
    if (recent) return { invited: false, reason: 'cooldown' };
    const sendAt = new Date(now.getTime() + rules.delayMinutes * MINUTE_MS);
    const row = await this.repository.insertInvitation(em, contact, sendAt, now);
    if (!row) return { invited: false, reason: 'cooldown' };
    return { invited: true, invitationId: row.id, sendAt };
  }
}
