/* global module */
// TypeScriptToLua resolves `./x` but not the `./x.js` that NodeNext ESM requires in the sources:
// map relative `.js` specifiers back to the `.ts` file they name.
const { dirname, resolve } = module.require('node:path');

module.exports = {
  moduleResolution(id, requiringFile) {
    if ((id.startsWith('./') || id.startsWith('../')) && id.endsWith('.js')) {
      return resolve(dirname(requiringFile), id.slice(0, -3) + '.ts');
    }
    return undefined;
  },
};
