// Sizes of storage in the interface's language: "1,6 Mo" in French (decimal comma, French units),
// "1.6 MB" in English, and the word after them agreeing with the number shown.
import { describe, expect, it } from 'vitest';
import { byteSize, formatBytes, sizeText } from '../../../../src/app/components/format-bytes.ts';
import { HOME_TEXT } from '../../../../src/app/home-text.ts';

const MB = 1024 * 1024;
/** Intl puts a no-break space between number and unit: compared as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('storage sizes', () => {
  it('are written in French and in English', () => {
    expect(plain(formatBytes(1.6 * MB, 'fr'))).toBe('1,6 Mo');
    expect(plain(formatBytes(1.6 * MB, 'en'))).toBe('1.6 MB');
    expect(plain(formatBytes(512 * 1024, 'fr'))).toBe('512 ko');
    expect(plain(formatBytes(3.25 * 1024 * MB, 'fr'))).toBe('3,3 Go');
    expect(plain(formatBytes(3.25 * 1024 * MB, 'en'))).toBe('3.3 GB');
    expect(formatBytes(null, 'fr')).toBe('?');
  });

  it('round as written, so that the words agree with what is shown', () => {
    expect(byteSize(1.64 * MB)).toEqual({ amount: 1.6, unit: 'megabyte' });
    expect(plain(sizeText(HOME_TEXT.fr.storageSpaceUsed, 1.6 * MB, 'fr'))).toBe('1,6 Mo utilisé');
    expect(plain(sizeText(HOME_TEXT.fr.storageSpaceUsed, 12 * MB, 'fr'))).toBe('12 Mo utilisés');
    expect(plain(sizeText(HOME_TEXT.fr.storageSpaceFree, 2 * 1024 * MB, 'fr'))).toBe('2 Go libres');
    expect(plain(sizeText(HOME_TEXT.en.storageSpaceFree, 2 * 1024 * MB, 'en'))).toBe('2 GB free');
  });
});
