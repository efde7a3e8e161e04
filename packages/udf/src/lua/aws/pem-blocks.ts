/** PEM certificate text, portable: the deploy step checks it in Node and the UDF splits it in Lua the same way. */
const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/** The PEM blocks of a text (one or several certificates, anything between them ignored). */
export function pemBlocks(text: string): string[] {
  const blocks: string[] = [];
  let at = text.indexOf(BEGIN);
  while (at >= 0) {
    const end = text.indexOf(END, at);
    if (end < 0) break;
    blocks.push(text.substring(at, end + END.length) + '\n');
    at = text.indexOf(BEGIN, end);
  }
  return blocks;
}
