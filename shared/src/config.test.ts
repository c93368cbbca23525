// Configuration at start: defaults fill what is unset, and every wrong variable is named in one message.
import { z } from 'zod';
import { ConfigError, databaseUrl, loadConfig, port, routerSecret, subgraphEnv, verifierEnv } from './config';

const env = z.object({ PORT: port(4000), DATABASE_URL: databaseUrl, ROUTER_SECRET: routerSecret });

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

it('reads the variables, coercing numbers and filling defaults', () => {
  expect(loadConfig(env, { DATABASE_URL: 'postgres://u:p@db/app', ROUTER_SECRET: 'x'.repeat(16) })).toEqual({
    PORT: 4000,
    DATABASE_URL: 'postgres://u:p@db/app',
    ROUTER_SECRET: 'x'.repeat(16),
  });
  expect(loadConfig(env, { PORT: '5000', DATABASE_URL: 'postgresql://db/app', ROUTER_SECRET: 'x'.repeat(16) }).PORT).toBe(5000);
});

it('points at the identity service on this machine unless told otherwise', () => {
  expect(loadConfig(z.object(verifierEnv), { ROUTER_SECRET: 'x'.repeat(16) })).toEqual({
    ROUTER_SECRET: 'x'.repeat(16),
    JWKS_URL: 'http://127.0.0.1:4001/.well-known/jwks.json',
    INTROSPECTION_URL: 'http://127.0.0.1:4001/internal/introspect',
    CREDENTIAL_CACHE_SECONDS: 5,
  });
});

it('listens on this machine only unless HOST says otherwise', () => {
  const subgraph = z.object(subgraphEnv);
  const required = { ROUTER_SECRET: 'x'.repeat(16), DATABASE_URL: 'postgres://db/app' };
  expect(loadConfig(subgraph, required).HOST).toBe('127.0.0.1');
  expect(loadConfig(subgraph, { ...required, HOST: '' }).HOST).toBe('127.0.0.1');
  expect(loadConfig(subgraph, { ...required, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
});

it('lists every missing variable with what it is for', () => {
  expect(messageOf(() => loadConfig(env, {}))).toBe(
    [
      'Invalid configuration:',
      '  - DATABASE_URL: DATABASE_URL is required (postgres://user:password@host:port/database)',
      '  - ROUTER_SECRET: ROUTER_SECRET is required: the shared secret the gateway sends to prove a request came through it',
    ].join('\n'),
  );
});

it('says what is wrong with each bad value', () => {
  const message = messageOf(() => loadConfig(env, { PORT: '70000', DATABASE_URL: 'mysql://db/app', ROUTER_SECRET: 'short' }));
  expect(message.split('\n')).toEqual([
    'Invalid configuration:',
    expect.stringMatching(/^ {2}- PORT: /),
    '  - DATABASE_URL: DATABASE_URL must start with postgres:// or postgresql://',
    '  - ROUTER_SECRET: ROUTER_SECRET must be at least 16 characters',
  ]);
});

it('names the environment as a whole when a rule spans several variables', () => {
  const paired = z.object({ A: z.string().optional(), B: z.string().optional() }).refine((vars) => !vars.A === !vars.B, 'Set A and B together.');
  expect(messageOf(() => loadConfig(paired, { A: 'x' }))).toBe('Invalid configuration:\n  - (environment): Set A and B together.');
});
