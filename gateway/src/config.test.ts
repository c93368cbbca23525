// The gateway's configuration: closed by default (this machine only, no CORS), and origins that mean what they say.
import { gatewayEnv } from './config';

const parse = (env: Record<string, string> = {}) => gatewayEnv.safeParse({ ROUTER_SECRET: 'x'.repeat(16), ...env });

it('listens on this machine only and allows no other origin unless configured', () => {
  expect(parse().data).toMatchObject({ HOST: '127.0.0.1', CORS_ORIGINS: [] });
});

it.each([
  ['one origin', 'https://app.example.com', ['https://app.example.com']],
  ['a list with spaces and a port', ' https://app.example.com , http://localhost:5173 ', ['https://app.example.com', 'http://localhost:5173']],
  ['any origin', '*', '*'],
  ['an empty value', '', []],
])('reads CORS_ORIGINS as %s', (_case, value, origins) => {
  expect(parse({ CORS_ORIGINS: value }).data?.CORS_ORIGINS).toEqual(origins);
});

it.each([
  ['the origin null, which any page can take on', 'null'],
  ['null among others', 'https://app.example.com,null'],
  ['a URL with a path', 'https://app.example.com/app'],
  ['a host without a scheme', 'app.example.com'],
  ['a trailing slash', 'https://app.example.com/'],
])('refuses CORS_ORIGINS with %s', (_case, value) => {
  const result = parse({ CORS_ORIGINS: value });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]).toMatchObject({ path: ['CORS_ORIGINS'], message: expect.stringMatching(/never null/) });
});
