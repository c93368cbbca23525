// The public surface of @orgapi/shared, by name: what a service may import from here, and nothing else.
import 'reflect-metadata';

export * from './auth';
export * from './config';
export * from './context';
export * from './database';
export * from './sql-statements';
export * from './environment-modes';
export * from './errors';
export * from './federation';
export * from './request-body';
export * from './request-id';
export * from './responses';
export * from './router-secret';
export * from './server';
export * from './ids';
export * from './loaders';
export * from './logger';
export * from './pagination';
export * from './permissions';
export * from './scalars';
export * from './services';
export * from './validation';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
export * from './service';
export * from './provision';
