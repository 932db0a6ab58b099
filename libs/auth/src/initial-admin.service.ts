import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { AppConfig, DEV_ADMIN_PASSWORD } from '@app/config';
import { UsersService } from '@app/users';

@Injectable()
export class InitialAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('InitialAdmin');

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config.auth;
    // The development password is published in the README and docs: production never creates an admin with it.
    const refuse = this.config.http.NODE_ENV === 'production' && ADMIN_PASSWORD === DEV_ADMIN_PASSWORD;
    const created = await this.users.ensureInitialAdmin(ADMIN_EMAIL, ADMIN_PASSWORD, () => {
      if (refuse) {
        throw new Error(
          'ADMIN_PASSWORD must be set (not the development password) ' +
            'to create the first admin when NODE_ENV=production',
        );
      }
    });
    if (!created) return;
    this.logger.log('Created the initial admin from ADMIN_EMAIL');
    // Printed once, to the console rather than the logs, when the development password is used.
    if (this.config.devDefaults.includes('ADMIN_PASSWORD')) {
      process.stdout.write(
        `\n  First start: sign in as ${ADMIN_EMAIL} ` +
          `with the development password "${ADMIN_PASSWORD}", then change it.\n\n`,
      );
    }
  }
}
