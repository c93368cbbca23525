// The public surface of @orgapi/shared.
import 'reflect-metadata';

export * from './auth';
export * from './config';
export * from './context';
export * from './database';
export * from './errors';
export * from './federation';
export * from './http';
export * from './ids';
export * from './loaders';
export * from './logger';
export * from './pagination';
export * from './permissions';
export * from './scalars';
export * from './validation';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
export * from './service';
export * from './provision';
