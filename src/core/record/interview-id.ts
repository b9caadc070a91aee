/**
 * Interview ids: UUIDs of version 7 (RFC 9562), whose first 48 bits are the Unix time in
 * milliseconds when the interview started, the rest random. A device's interviews then sort by
 * when they began, and so do the records a server receives: its id index grows at its end instead
 * of in every page, which stores an upload faster than random ids do. The time they carry is the
 * record's own `startedAt`: nothing more is disclosed.
 */

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A version 7 UUID from a time (ms since 1970) and 10 random bytes (the caller's source). */
export function interviewId(unixMs: number, random: Uint8Array): string {
  if (!Number.isInteger(unixMs) || unixMs < 0 || unixMs >= 2 ** 48)
    throw new RangeError(`not a time in milliseconds: ${unixMs}`);
  if (random.length < 10) throw new RangeError('10 random bytes are needed');
  const bytes = new Uint8Array(16);
  let time = unixMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  let text = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-';
    text += HEX[bytes[i] ?? 0] ?? '00';
  }
  return text;
}
