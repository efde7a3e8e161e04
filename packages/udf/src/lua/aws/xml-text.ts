/** S3 answers in XML; the AWS-call UDF and the scripting programs read the few elements they need as text. */
const XML_ENTITIES: readonly (readonly [string, string])[] = [
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&quot;', '"'],
  ['&apos;', "'"],
  ['&#13;', '\r'],
  ['&#10;', '\n'],
  ['&#9;', '\t'],
  ['&amp;', '&'],
];

/** Decodes the XML entities S3 writes in text content (`&amp;` last, so `&amp;lt;` stays `&lt;`). */
export function xmlText(text: string): string {
  let out = text;
  for (const [entity, char] of XML_ENTITIES) out = out.split(entity).join(char);
  return out;
}

/**
 * The decoded text of every `<name>…</name>` element in document order. S3's ListObjectsV2 answers are flat
 * enough that string search is exact: element names never repeat inside their own content.
 */
export function xmlElements(xml: string, name: string): string[] {
  const open = '<' + name + '>';
  const close = '</' + name + '>';
  const out: string[] = [];
  let at = xml.indexOf(open);
  while (at >= 0) {
    const start = at + open.length;
    const end = xml.indexOf(close, start);
    if (end < 0) break;
    out.push(xmlText(xml.substring(start, end)));
    at = xml.indexOf(open, end + close.length);
  }
  return out;
}
