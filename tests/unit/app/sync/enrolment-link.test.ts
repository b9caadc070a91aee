// The enrolment link as the dashboard makes it and the app reads it: the same server and code
// come out that went in, and the code leaves the address bar.
import { describe, expect, it } from 'vitest';
import { enrolmentLink } from '../../../../src/core/protocol/index.ts';
import {
  readEnrolmentLink,
  takeEnrolmentLink,
  withoutEnrolmentLink,
} from '../../../../src/app/sync/enrolment-link.ts';

describe('enrolment link', () => {
  it('is the server’s origin with the code as a parameter, and reads back the same', () => {
    const link = enrolmentLink('https://collecte.example.fr', 'ABCD-2345');
    expect(link).toBe('https://collecte.example.fr/?enrol=ABCD-2345');
    expect(readEnrolmentLink(link)).toEqual({
      serverUrl: 'https://collecte.example.fr',
      code: 'ABCD-2345',
    });
    expect(enrolmentLink('http://127.0.0.1:8080/', 'WXYZ-6789')).toBe(
      'http://127.0.0.1:8080/?enrol=WXYZ-6789',
    );
  });

  it('reads a code typed or scanned loosely, and ignores addresses without one', () => {
    expect(readEnrolmentLink('https://x.example/?enrol=abcd2345#/')).toEqual({
      serverUrl: 'https://x.example',
      code: 'ABCD-2345',
    });
    expect(readEnrolmentLink('https://x.example:8443/?lang=fr&enrol=%20abcd-2345%20')).toEqual({
      serverUrl: 'https://x.example:8443',
      code: 'ABCD-2345',
    });
    expect(readEnrolmentLink('https://x.example/?enrol=')?.code).toBe('');
    expect(readEnrolmentLink(`https://x.example/?enrol=${'a'.repeat(500)}`)?.code).toHaveLength(32);
    expect(readEnrolmentLink('https://x.example/')).toBeUndefined();
    expect(readEnrolmentLink('https://x.example/#/interview/x?enrol=ABCD-2345')).toBeUndefined();
    expect(readEnrolmentLink('not a url')).toBeUndefined();
  });

  it('takes the code out of the address, keeping the path, other parameters and the hash', () => {
    expect(withoutEnrolmentLink('https://x.example/?enrol=ABCD-2345')).toBe('/');
    expect(withoutEnrolmentLink('https://x.example/app/?a=1&enrol=ABCD-2345&b=2#/enrol')).toBe(
      '/app/?a=1&b=2#/enrol',
    );
    const replaced: [unknown, string, string | URL | null | undefined][] = [];
    const history = {
      state: { kept: true },
      replaceState: (state: unknown, unused: string, url?: string | URL | null) => {
        replaced.push([state, unused, url]);
      },
    };
    expect(takeEnrolmentLink({ href: 'https://x.example/?enrol=ABCD-2345' }, history)).toEqual({
      serverUrl: 'https://x.example',
      code: 'ABCD-2345',
    });
    expect(replaced).toEqual([[{ kept: true }, '', '/']]);
    expect(takeEnrolmentLink({ href: 'https://x.example/#/' }, history)).toBeUndefined();
    expect(replaced).toHaveLength(1);
  });
});
