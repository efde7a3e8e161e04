import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_RELEASE_VERSION } from './catalog-sql.js';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

let exa: ExasolSandbox;
let db: Driver;

beforeAll(async () => {
  exa = await startExasolSandbox({ tls: false });
  db = await connectDriver(exa);
});
afterAll(async () => {
  await db.close();
  await exa.stop();
});

it('EXA_METADATA names the release the login reports, as databaseProductVersion and its major/minor parts', async () => {
  const rows = (
    await db.query(
      "SELECT PARAM_NAME, PARAM_VALUE FROM EXA_METADATA WHERE PARAM_NAME LIKE 'database%Version' ORDER BY PARAM_NAME",
    )
  ).getRows();
  const [major, minor] = SANDBOX_RELEASE_VERSION.split('.');
  expect(rows).toEqual([
    { PARAM_NAME: 'databaseMajorVersion', PARAM_VALUE: major },
    { PARAM_NAME: 'databaseMinorVersion', PARAM_VALUE: minor },
    { PARAM_NAME: 'databaseProductVersion', PARAM_VALUE: SANDBOX_RELEASE_VERSION },
  ]);
});
