/**
 * The GitHub App this tool logs in as: the Copilot app that copilot.vim's
 * language server uses. One place, for the device flow and for reading
 * copilot.vim's `apps.json` keys.
 *
 * @module
 */

/** The Copilot GitHub App's client id. */
export const CLIENT_ID = "Iv1.b507a08c87ecfe98";
