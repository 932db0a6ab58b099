import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { loadConfig, loadDotEnv } from '@app/config';
import { ENTITY_GLOBS, prepareDatabase, typeormOptions } from '@app/database';

import { DEMO_STAFF } from './demo-data';
import { DEMO_PASSWORD, seedDemo } from './seed-demo';

// `npm run seed:demo`: migrates if needed, then loads the demo data set.
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  await prepareDatabase(config.database);
  const dataSource = new DataSource({ ...typeormOptions(config.database), entities: ENTITY_GLOBS });
  await dataSource.initialize();
  try {
    const result = await seedDemo(dataSource);
    console.log(`Demo data: inserted ${JSON.stringify(result)} (0 everywhere means it was already loaded).`);
    console.log(`Sign in as ${DEMO_STAFF.map((s) => s.email).join(', ')} with the password "${DEMO_PASSWORD}".`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
