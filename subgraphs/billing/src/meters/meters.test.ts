// The deployment's meters: the default, a configured price list, and every mistake named.
import { z } from 'zod';
import { DEFAULT_METERS, metersEnv } from './meters';

const parse = (METERS?: string) => z.object(metersEnv).safeParse({ METERS });

describe('METERS', () => {
  it('is the requests meter at 1 credit when unset or empty', () => {
    expect(parse().data?.METERS).toEqual(DEFAULT_METERS);
    expect(parse('  ').data?.METERS).toEqual([{ name: 'requests', description: 'API requests.', creditsPerUnit: 1 }]);
  });

  it('reads a price list', () => {
    expect(parse('[{"name":"requests","creditsPerUnit":1},{"name":"storage_gb","description":"Storage, per GB-day.","creditsPerUnit":10}]').data?.METERS).toEqual([
      { name: 'requests', description: '', creditsPerUnit: 1 },
      { name: 'storage_gb', description: 'Storage, per GB-day.', creditsPerUnit: 10 },
    ]);
  });

  it.each([
    ['not JSON', 'requests:1', /must be JSON/],
    ['an empty list', '[]', /at least 1|too small|>=1/i],
    ['a bad name', '[{"name":"Requests","creditsPerUnit":1}]', /\[0\.name\] a meter name is lower-case/],
    ['a negative price', '[{"name":"requests","creditsPerUnit":-1}]', /\[0\.creditsPerUnit\]/],
    ['a fractional price', '[{"name":"requests","creditsPerUnit":0.5}]', /\[0\.creditsPerUnit\]/],
    ['a repeated name', '[{"name":"a","creditsPerUnit":1},{"name":"a","creditsPerUnit":2}]', /names the meter "a" twice/],
  ])('refuses %s, saying what is wrong', (_case, text, message) => {
    const result = parse(text);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(message);
  });
});
