import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

// The settings' SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class SettingsRepository {
  // Merges the given fields into a section's stored value, inside the caller's transaction.
  async mergeSection(
    em: EntityManager,
    section: string,
    fields: Record<string, unknown>,
    actorId: string,
  ): Promise<void> {
    await em.query(
      `INSERT INTO settings (section, value, updated_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (section) DO UPDATE
         SET value = settings.value || EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [section, JSON.stringify(fields), actorId],
    );
  }
}
