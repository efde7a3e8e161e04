/* global module */
/**
 * TypeScriptToLua plugin: ESM sources import `./x.js` (NodeNext rules), but the file on disk is `./x.ts`.
 * tstl resolves requires on the emitted Lua without that mapping, so this points relative `.js` imports at
 * their `.ts` source.
 */
module.exports = {
  moduleResolution(moduleIdentifier) {
    if ((moduleIdentifier.startsWith('./') || moduleIdentifier.startsWith('../')) && moduleIdentifier.endsWith('.js')) {
      return moduleIdentifier.slice(0, -3) + '.ts';
    }
    return undefined;
  },
};
