/**
 * @OnlyCurrentDoc
 * Requests to the backend (docs/ADDON_API.md) and the sentences a person reads when one fails.
 */

/**
 * The caller's Google identity token, or an Error saying why there is none.
 * @return {string}
 */
function vfIdentityToken_() {
  const token = ScriptApp.getIdentityToken();
  if (!token) {
    throw new Error('Google gave no identity token for your account: the add-on needs the "openid" permission. Reopen the add-on and allow it.');
  }
  return token;
}

/**
 * UrlFetchApp request options (with url, for fetchAll) for one backend call.
 * @param {string} method
 * @param {string} path
 * @param {string} bearer
 * @param {*=} body
 * @return {GoogleAppsScript.URL_Fetch.URLFetchRequest}
 */
function vfRequest_(method, path, bearer, body) {
  /** @type {GoogleAppsScript.URL_Fetch.URLFetchRequest} */
  const request = {
    url: vfUrl_(path),
    method: /** @type {GoogleAppsScript.URL_Fetch.HttpMethod} */ (method),
    contentType: 'application/json',
    headers: { Authorization: 'Bearer ' + bearer, Accept: 'application/json' },
    muteHttpExceptions: true,
    followRedirects: false,
  };
  if (body !== undefined) {
    request.payload = JSON.stringify(body);
  }
  return request;
}

/**
 * Reads one answer: the parsed JSON body of a 2xx, or a problem a person can act on.
 * @param {GoogleAppsScript.URL_Fetch.HTTPResponse} response
 * @param {string} what what was asked, for the message, e.g. "Submitting rows"
 * @return {{ok: boolean, status: number, body: *, message: string, retryAfter: number}}
 */
function vfReadAnswer_(response, what) {
  const status = response.getResponseCode();
  const text = response.getContentText() || '';
  if (status >= 200 && status < 300) {
    if (status === 204 || text === '') {
      return { ok: true, status: status, body: null, message: '', retryAfter: 0 };
    }
    try {
      return { ok: true, status: status, body: JSON.parse(text), message: '', retryAfter: 0 };
    } catch (e) {
      return { ok: false, status: status, body: null, retryAfter: 0,
        message: what + ' failed: the backend answered ' + status + ' with something that is not JSON (' + vfSnippet_(text) + ').' };
    }
  }
  const detail = vfProblemDetail_(text);
  const headers = response.getHeaders ? response.getHeaders() : {};
  const retryAfter = status === 429 ? vfRetryAfter_(headers) : 0;
  let message;
  if (status === 401) {
    message = what + ' failed: the backend did not accept your sign-in (401)' + vfWithDetail_(detail) +
      ' Reopen the sheet and try again; if it persists, the backend\'s Addon:OAuthClientId may not match this add-on.';
  } else if (status === 403) {
    message = what + ' failed: your account may not use this ViralForge backend (403)' + vfWithDetail_(detail) +
      ' Ask its administrator to add your email or domain.';
  } else if (status === 429) {
    message = what + ' failed: too many requests (429)' + vfWithDetail_(detail) +
      (retryAfter > 0 ? ' Try again in ' + retryAfter + ' s.' : ' Try again in a minute.');
  } else if (status >= 500) {
    message = what + ' failed: the backend had a problem (' + status + ')' + vfWithDetail_(detail) +
      ' Nothing is lost; try again (the same rows get the same Job IDs).';
  } else {
    message = what + ' failed: the backend refused the request (' + status + ')' + vfWithDetail_(detail);
  }
  return { ok: false, status: status, body: null, message: message, retryAfter: retryAfter };
}

/** The detail (or title) of an application/problem+json body, else a snippet of the body, else "". */
function vfProblemDetail_(text) {
  if (!text) {
    return '';
  }
  try {
    const problem = JSON.parse(text);
    if (problem && typeof problem === 'object') {
      if (typeof problem.detail === 'string' && problem.detail) {
        return problem.detail;
      }
      if (typeof problem.title === 'string' && problem.title) {
        return problem.title;
      }
    }
  } catch (e) {
    // Not JSON: a proxy's HTML page, say. Show the start of it.
  }
  return vfSnippet_(text);
}

function vfWithDetail_(detail) {
  if (!detail) {
    return '.';
  }
  return ': ' + detail + (/[.!?]$/.test(detail) ? '' : '.');
}

function vfSnippet_(text) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? flat.slice(0, 200) + '…' : flat;
}

/** Seconds from a Retry-After header (delta-seconds; an HTTP date counts as 60 s), 0 when absent. */
function vfRetryAfter_(headers) {
  const keys = Object.keys(headers || {});
  for (let i = 0; i < keys.length; i++) {
    if (keys[i].toLowerCase() === 'retry-after') {
      const seconds = parseInt(String(headers[keys[i]]), 10);
      return isNaN(seconds) ? 60 : Math.max(0, seconds);
    }
  }
  return 0;
}

/** UrlFetchApp.fetch of one request made by vfRequest_ (fetch takes the URL apart from the options). */
function vfFetch_(request) {
  const options = Object.assign({}, request);
  delete options.url;
  return UrlFetchApp.fetch(request.url, options);
}
