import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppConfig } from '@app/config';

import { DEMO_STAFF } from './demo-data';
import { DEMO_PASSWORD, seedDemo } from './seed-demo';

// With DEMO_DATA (on by default when NODE_ENV=development), the API loads the demo data set at
// start, so a newcomer's `npm start` opens a console with people and clients to work with.
// Idempotent and serialised across processes (seedDemo takes an advisory lock).
@Injectable()
export class DemoOnStartService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoData');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.database.DEMO_DATA) return;
    const result = await seedDemo(this.dataSource);
    if (result.users === 0 && result.customers === 0) return;
    this.logger.log(`Loaded the demo data: ${JSON.stringify(result)}`);
    process.stdout.write(
      `\n  Demo data loaded: sign in at http://localhost:${this.config.http.PORT}/ as ` +
        `${DEMO_STAFF.map((s) => s.email).join(', ')} with "${DEMO_PASSWORD}".\n\n`,
    );
  }
}
