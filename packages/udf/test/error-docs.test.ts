import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedDocCodes } from '@sme/core/testing';
import { describe, expect, it } from 'vitest';
import { AWS_CALL_ERRORS } from '../src/lua/aws/aws-errors.js';
import { UDF_ERRORS } from '../src/lua/scripting/udf-errors.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');

describe('docs/errors.md', () => {
  it('lists every code of UDF_ERRORS and AWS_CALL_ERRORS (npm run error-docs checks the texts)', () => {
    const documented = generatedDocCodes(doc);
    for (const code of [...Object.keys(AWS_CALL_ERRORS), ...Object.keys(UDF_ERRORS)]) {
      expect(documented.has(code), code).toBe(true);
    }
  });
});
