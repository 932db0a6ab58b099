import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '@app/common';
import { contactRefusal } from '@app/customers';
import { SettingsService } from '@app/settings';

import type { InvitationSource } from './entities/survey-invitation.entity';

export interface SurveyedContact {
  interactionId: string;
  customerId: string;
  // The butler who made the contact: the rating is theirs for good.
  butlerId: string;
  source: InvitationSource;
}

export type InvitationDecision =
  | { invited: true; invitationId: string; sendAt: Date }
  | { invited: false; reason: 'disabled' | 'no_consent' | 'no_email' | 'cooldown' | 'customer_deleted' };

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
  ) {}

  async afterContact(em: EntityManager, contact: SurveyedContact): Promise<InvitationDecision> {
    const rules = (await this.settings.get(em)).surveys;
    if (!(contact.source === 'follow_up' ? rules.afterFollowUp : rules.afterCase))
      return { invited: false, reason: 'disabled' };
    // The client row lock serialises two contacts closing at once, so the cooldown holds.
    const [customer]: { consent_surveys: boolean; email: string | null; deleted_at: Date | null }[] = await em.query(
      `SELECT consent_surveys, email, deleted_at FROM customers WHERE id = $1 FOR UPDATE`,
      [contact.customerId],
    );
    if (!customer) return { invited: false, reason: 'customer_deleted' };
    const refusal = contactRefusal(customer, 'surveys');
    if (refusal) return { invited: false, reason: refusal };
    const now = this.clock.now();
    const recent: unknown[] = await em.query(
      `SELECT 1 FROM survey_invitations WHERE customer_id = $1 AND status <> 'skipped' AND created_at > $2 LIMIT 1`,
      [contact.customerId, new Date(now.getTime() - rules.cooldownDays * DAY_MS)],
    );
    if (recent.length > 0) return { invited: false, reason: 'cooldown' };
    const sendAt = new Date(now.getTime() + rules.delayMinutes * MINUTE_MS);
    const [row]: { id: string }[] = await em.query(
      `INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, send_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (interaction_id) DO NOTHING RETURNING id`,
      [contact.customerId, contact.butlerId, contact.interactionId, contact.source, sendAt, now],
    );
    if (!row) return { invited: false, reason: 'cooldown' };
    return { invited: true, invitationId: row.id, sendAt };
  }
}
