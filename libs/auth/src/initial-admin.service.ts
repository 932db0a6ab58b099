import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@app/config';
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
    const created = await this.users.ensureInitialAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
    // Printed once, when the admin is created with the development password.
    if (created && this.config.devDefaults.includes('ADMIN_PASSWORD')) {
      this.logger.warn(`Sign in as ${ADMIN_EMAIL} with the development password "${ADMIN_PASSWORD}" and change it`);
    }
  }
}
