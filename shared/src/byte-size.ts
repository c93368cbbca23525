// Writes a byte count for a person, as the limits quote it in their messages: "1 MiB", "20.5 MiB", "9.8 KiB".
const UNITS: [number, string][] = [
  [1024 * 1024, 'MiB'],
  [1024, 'KiB'],
];

export function bytesInWords(bytes: number): string {
  for (const [size, unit] of UNITS) if (bytes >= size) return `${+(bytes / size).toFixed(1)} ${unit}`;
  return `${bytes} bytes`;
}
