import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { ENTITY_GLOBS, typeormOptions } from './typeorm-options';

// The one DataSource the TypeORM CLI uses (npm run migration:generate|run|revert).
export default new DataSource({ ...typeormOptions(loadConfig().database), entities: ENTITY_GLOBS });
