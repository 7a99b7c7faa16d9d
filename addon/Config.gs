/**
 * @OnlyCurrentDoc
 * Settings fixed at deployment. `./vf addon push` replaces BACKEND_URL here and in appsscript.json's
 * urlFetchWhitelist with the backend's address (https, ending in "/"), so the two always agree.
 */

/** The functions host the add-on talks to (docs/ADDON_API.md). */
const VF_BACKEND_URL = 'https://BACKEND_URL/';

/** Rows per POST /jobs request; the backend takes at most 100. */
const VF_BATCH_SIZE = 50;

/** POST /jobs requests sent at once by fetchAll on the menu path (the sidebar sends one batch per call). */
const VF_PARALLEL_REQUESTS = 10;

/** Job IDs per POST /jobs/status request; the backend takes at most 500. */
const VF_STATUS_CHUNK = 500;

/** Seconds a custom function's answer stays in the user cache. */
const VF_CACHE_SECONDS = 60;

/** Rows at the top of a tab searched for the header row. */
const VF_HEADER_SEARCH_ROWS = 20;

/** User property names. */
const VF_PROP_API_KEY = 'viralforge.apiKey';
const VF_PROP_API_KEY_CREATED = 'viralforge.apiKeyCreatedAt';
const VF_PROP_DEFAULTS = 'viralforge.defaults';

/**
 * Where Settings is in Sheets' menus. An editor add-on's menu (createAddonMenu) lives under Extensions, never in the menu
 * bar of its own, so every help text names this path.
 */
const VF_SETTINGS_PATH = 'Extensions > ViralForge > Settings';

/** What a person reads when a formula needs an API key first. */
const VF_SETUP_MESSAGE = 'Set up ViralForge: ' + VF_SETTINGS_PATH;

/** The backend URL of a path, e.g. vfUrl_('jobs') → https://host/jobs. */
function vfUrl_(path) {
  return VF_BACKEND_URL.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}
