// Configuration at start: defaults fill what is unset, and every wrong variable is named in one message.
import { z } from 'zod';
import { ConfigError, databaseUrl, loadConfig, mailEnv, port, routerSecret, subgraphEnv, verifierEnv } from './config';

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

it('points at the identity and organizations services on this machine unless told otherwise', () => {
  expect(loadConfig(z.object(verifierEnv), { ROUTER_SECRET: 'x'.repeat(16) })).toEqual({
    ROUTER_SECRET: 'x'.repeat(16),
    JWKS_URL: 'http://127.0.0.1:4001/.well-known/jwks.json',
    INTROSPECTION_URL: 'http://127.0.0.1:4001/internal/introspect',
    KEY_INTROSPECTION_URL: 'http://127.0.0.1:4002/internal/introspect-key',
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

it('listens and migrates over DATABASE_URL unless DIRECT_DATABASE_URL is set (a blank one is unset)', () => {
  const subgraph = z.object(subgraphEnv);
  const required = { ROUTER_SECRET: 'x'.repeat(16), DATABASE_URL: 'postgres://pgbouncer:6432/app' };
  expect(loadConfig(subgraph, required).DIRECT_DATABASE_URL).toBeUndefined();
  expect(loadConfig(subgraph, { ...required, DIRECT_DATABASE_URL: '' }).DIRECT_DATABASE_URL).toBeUndefined();
  expect(loadConfig(subgraph, { ...required, DIRECT_DATABASE_URL: 'postgres://db:5432/app' }).DIRECT_DATABASE_URL).toBe('postgres://db:5432/app');
  expect(messageOf(() => loadConfig(subgraph, { ...required, DIRECT_DATABASE_URL: 'db:5432/app' }))).toBe(
    'Invalid configuration:\n  - DIRECT_DATABASE_URL: DIRECT_DATABASE_URL must start with postgres:// or postgresql://',
  );
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

describe('mail settings', () => {
  const mail = z.object(mailEnv);

  it('print emails in the log and link to the local gateway unless told otherwise (a blank SMTP_URL is unset)', () => {
    expect(loadConfig(mail, { SMTP_URL: '' })).toEqual({
      SMTP_URL: undefined,
      MAIL_FROM: 'Organizations API <no-reply@localhost>',
      APP_URL: 'http://localhost:4000',
      MAIL_MAX_ATTEMPTS: 10,
      MAIL_RETRY_BASE_SECONDS: 30,
    });
  });

  it('say what is wrong with a mail server, a sender or a frontend that is not one', () => {
    expect(messageOf(() => loadConfig(mail, { SMTP_URL: 'http://mail.example', MAIL_FROM: 'nobody', APP_URL: 'app' })).split('\n')).toEqual([
      'Invalid configuration:',
      '  - SMTP_URL: SMTP_URL must start with smtp:// or smtps://',
      '  - MAIL_FROM: MAIL_FROM must be an address, like "Acme <no-reply@acme.example>" or no-reply@acme.example',
      expect.stringMatching(/^ {2}- APP_URL: APP_URL must be the URL of the frontend/),
    ]);
  });
});
