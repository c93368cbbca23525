// Byte counts as the limits' messages write them.
import { bytesInWords } from './byte-size';

it.each([
  [1024 * 1024, '1 MiB'],
  [20.5 * 1024 * 1024, '20.5 MiB'],
  [32 * 1024 * 1024, '32 MiB'],
  [10_000, '9.8 KiB'],
  [1024, '1 KiB'],
  [999, '999 bytes'],
])('writes %d bytes as %s', (bytes, words) => {
  expect(bytesInWords(bytes)).toBe(words);
});
