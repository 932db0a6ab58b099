import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { loadConfig, loadDotEnv } from '@app/config';

import { ENTITY_GLOBS, typeormOptions } from './typeorm-options';

// The one DataSource the TypeORM CLI uses (npm run migration:generate|run|revert).
loadDotEnv();
export default new DataSource({ ...typeormOptions(loadConfig().database), entities: ENTITY_GLOBS });
