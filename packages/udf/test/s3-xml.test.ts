import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xmlElements, xmlText } from '../src/lua/aws/aws-call.js';

/** How S3 escapes text content (&, <, > and quotes as entities). */
function xmlEscape(text: string): string {
  return text
    .split('&')
    .join('&amp;')
    .split('<')
    .join('&lt;')
    .split('>')
    .join('&gt;')
    .split('"')
    .join('&quot;')
    .split("'")
    .join('&apos;');
}

describe('S3 XML reading', () => {
  it('gives back every escaped key of a ListObjectsV2 answer, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 8 }), (keys) => {
        const xml =
          '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>' +
          keys.map((k) => `<Contents><Key>${xmlEscape(k)}</Key><Size>1</Size></Contents>`).join('') +
          '</ListBucketResult>';
        expect(xmlElements(xml, 'Key')).toEqual(keys);
        expect(xmlElements(xml, 'IsTruncated')).toEqual(['false']);
      }),
    );
  });

  it('decodes &amp; last, so an escaped entity stays literal', () => {
    expect(xmlText('a&amp;lt;b &lt; c')).toBe('a&lt;b < c');
    expect(xmlElements('<Error><Code>NoSuchBucket</Code></Error>', 'Code')).toEqual(['NoSuchBucket']);
    expect(xmlElements('<Key>unterminated', 'Key')).toEqual([]);
  });
});
