/**
 * @OnlyCurrentDoc
 * The sheet contract and the row validation of the backend (functions/ViralForge.Core/Sheets/SheetContract.cs and
 * RowValidator.cs), ported line for line so the sidebar shows the backend's own reasons before anything is sent.
 * Keep the two in step: test/unit/validation.test.js runs the backend's test examples against this file.
 */

const VF_INPUT_COLUMNS = ['Topic', 'Platform', 'Duration', 'Style', 'Voice', 'Language', 'Publish At', 'Hashtags', 'Notes', 'Languages'];
const VF_OUTPUT_COLUMNS = ['Job ID', 'Status', 'Stage', 'Video', 'Preview', 'Published URL', 'Error', 'Cost', 'Updated', 'Views', 'Likes', 'Avg View %', 'Metrics Updated'];

/** Output columns the backend makes only once a row needs them (SheetContract.OnDemandOutputColumns): never inputs. */
const VF_ON_DEMAND_OUTPUT_COLUMNS = ['Published URL (YouTube)', 'Published URL (TikTok)'];

/** Status words after which a job does not move any more. */
const VF_FINAL_STATUSES = ['published', 'scheduled', 'rejected', 'failed', 'invalid', 'cancelled'];

const VF_MAX_TOPIC_LENGTH = 300;
const VF_MIN_DURATION = 10;
const VF_MAX_DURATION = 90;
const VF_MAX_HASHTAGS = 30;
const VF_MAX_LANGUAGES = 10;

/** The output columns each further language of a Languages row gets, named "Status (es)" (SheetContract.LanguageOutputColumns). */
const VF_LANGUAGE_OUTPUT_COLUMNS = ['Job ID', 'Status', 'Video', 'Error'];

// .NET's char.IsWhiteSpace set, which string.Trim() removes (JavaScript's trim() differs on U+0085 and U+FEFF).
const VF_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const VF_TRIM = new RegExp('^[' + VF_SPACE + ']+|[' + VF_SPACE + ']+$', 'g');
// .NET regex \s: [\f\n\r\t\v\x85\p{Z}].
const VF_LIST_SEPARATOR = /[\f\n\r\t\v\u0085\p{Z},]+/u;
const VF_SECONDS = /^([0-9]{1,9})[\f\n\r\t\v\u0085\p{Z}]*(?:s|sec|secs|second|seconds)?$/iu;
const VF_CLOCK = /^(?:([0-9]{1,3}):)?([0-9]{1,4}):([0-5][0-9])$/;
const VF_LANGUAGE = /^([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$/;
// The six formats of RowValidator.PublishAtFormats: date, 'T' or one space, HH:mm, optional :ss, optional
// .fraction (1-7 digits, or a bare dot as .NET's F allows), then K: nothing, Z, or ±h[h][:]mm.
const VF_PUBLISH_AT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{0,7}))?)?(Z|[+-][0-9]{1,2}:?[0-9]{2})?$/;

/** String.Trim() as .NET does it. */
function vfTrim_(text) {
  return String(text).replace(VF_TRIM, '');
}

/**
 * The canonical name of a header cell (case-insensitive, trimmed), or null when not part of the contract. A
 * per-language output column ("status (PT-br)") comes back as "Status (pt-BR)".
 */
function vfCanonical_(header) {
  const trimmed = vfTrim_(header);
  const wanted = trimmed.toUpperCase();
  const all = VF_INPUT_COLUMNS.concat(VF_OUTPUT_COLUMNS, VF_ON_DEMAND_OUTPUT_COLUMNS);
  for (let i = 0; i < all.length; i++) {
    if (all[i].toUpperCase() === wanted) {
      return all[i];
    }
  }
  const perLanguage = vfLanguageColumn_(trimmed);
  return perLanguage === null ? null : perLanguage.column + ' (' + perLanguage.language + ')';
}

/** True when the canonical column is one the product writes. */
function vfIsOutput_(column) {
  return VF_OUTPUT_COLUMNS.indexOf(column) >= 0 || VF_ON_DEMAND_OUTPUT_COLUMNS.indexOf(column) >= 0 || vfLanguageColumn_(column) !== null;
}

/**
 * The column and language of a per-language output column's name ("Video (es)"), or null when it is not one.
 * @param {string} name
 * @return {?{column: string, language: string}}
 */
function vfLanguageColumn_(name) {
  const open = name.lastIndexOf('(');
  if (open <= 0 || name.charAt(name.length - 1) !== ')') {
    return null;
  }
  const column = vfTrim_(name.slice(0, open)).toUpperCase();
  const language = vfCanonicalLanguage_(name.slice(open + 1, name.length - 1));
  for (let i = 0; i < VF_LANGUAGE_OUTPUT_COLUMNS.length; i++) {
    if (VF_LANGUAGE_OUTPUT_COLUMNS[i].toUpperCase() === column && language !== null) {
      return { column: VF_LANGUAGE_OUTPUT_COLUMNS[i], language: language };
    }
  }
  return null;
}

/**
 * A language tag in canonical casing (en, en-US, zh-Hant-TW) as RowValidator.CanonicalLanguage gives it, or null
 * when the text is not the common shape of a BCP 47 tag.
 * @param {string} text
 * @return {?string}
 */
function vfCanonicalLanguage_(text) {
  const tag = vfTrim_(text);
  if (!VF_LANGUAGE.test(tag)) {
    return null;
  }
  const parts = tag.split('-');
  const out = [parts[0].toLowerCase()];
  let i = 1;
  if (i < parts.length && /^[A-Za-z]{4}$/.test(parts[i])) {
    out.push(parts[i].charAt(0).toUpperCase() + parts[i].slice(1).toLowerCase());
    i++;
  }
  if (i < parts.length && /^(?:[A-Za-z]{2}|[0-9]{3})$/.test(parts[i])) {
    out.push(parts[i].toUpperCase());
    i++;
  }
  for (; i < parts.length; i++) {
    out.push(parts[i].toLowerCase());
  }
  return out.join('-');
}

/**
 * Validates one row's input cells (by canonical column name; missing read as ""), with the sidebar's defaults
 * filling blank Platform, Style, Voice and Duration cells as the backend does.
 * @param {Object<string, string>} cells
 * @param {Object<string, string>=} defaults
 * @return {{valid: boolean, errors: string[], error: string}}
 */
function vfValidateRow_(cells, defaults) {
  const get = function (column) {
    const value = cells[column] === undefined || cells[column] === null ? '' : String(cells[column]);
    if (vfTrim_(value) === '' && defaults && defaults[column] !== undefined && defaults[column] !== null) {
      return String(defaults[column]);
    }
    return value;
  };
  const errors = [];
  vfCheckTopic_(get('Topic'), errors);
  vfCheckPlatform_(get('Platform'), errors);
  vfCheckDuration_(get('Duration'), errors);
  // Languages wins: when it is filled the row is made in exactly its languages and the Language cell is not read.
  if (vfTrim_(get('Languages')).length > 0) {
    vfCheckLanguages_(get('Languages'), errors);
  } else {
    vfCheckLanguage_(get('Language'), errors);
  }
  vfCheckPublishAt_(get('Publish At'), errors);
  vfCheckHashtags_(get('Hashtags'), errors);
  return { valid: errors.length === 0, errors: errors, error: errors.join('; ') };
}

function vfCheckTopic_(cell, errors) {
  const topic = vfTrim_(cell);
  if (topic.length === 0) {
    errors.push('Topic is required');
    return;
  }
  const length = vfTextElements_(topic);
  if (length > VF_MAX_TOPIC_LENGTH) {
    errors.push('Topic is ' + length + ' characters long; the limit is ' + VF_MAX_TOPIC_LENGTH);
  }
}

/** What a person counts as characters: grapheme clusters, like .NET's StringInfo.LengthInTextElements. */
function vfTextElements_(text) {
  if (typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function') {
    let count = 0;
    const segments = new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text);
    for (const _ of segments) {
      count++;
    }
    return count;
  }
  // Without Intl.Segmenter: a code point starts a new character unless it is a mark, a joiner, a variation
  // selector or skin tone, the code point after a joiner, or the second of a flag's regional indicators.
  let count = 0;
  let afterJoiner = false;
  let regionalOpen = false;
  for (const ch of text) {
    const code = ch.codePointAt(0) || 0;
    const extends_ = /\p{M}/u.test(ch) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f) ||
      (code >= 0x1f3fb && code <= 0x1f3ff) || (code >= 0xe0020 && code <= 0xe007f);
    const regional = code >= 0x1f1e6 && code <= 0x1f1ff;
    if (!(extends_ || afterJoiner || (regional && regionalOpen))) {
      count++;
    }
    regionalOpen = regional && !regionalOpen;
    afterJoiner = code === 0x200d;
  }
  return count;
}

function vfCheckPlatform_(cell, errors) {
  const text = vfTrim_(cell);
  if (text.length === 0) {
    return;
  }
  let any = false;
  const words = text.split(VF_LIST_SEPARATOR);
  for (let i = 0; i < words.length; i++) {
    // ToUpperInvariant as far as the three words go: only ASCII letters can match them (JavaScript would also
    // turn the dotless ı into I, .NET does not).
    const word = words[i].replace(/[a-z]+/g, function (w) { return w.toUpperCase(); });
    if (word === '') {
      continue;
    }
    if (word !== 'YOUTUBE' && word !== 'TIKTOK' && word !== 'BOTH') {
      any = false;
      break;
    }
    any = true;
  }
  // Also when the cell holds only separators, e.g. ",": not blank, so the default would be a guess.
  if (!any) {
    errors.push('Platform "' + text + '" is not allowed; use youtube, tiktok or both');
  }
}

function vfCheckDuration_(cell, errors) {
  const text = vfTrim_(cell);
  if (text.length === 0) {
    return;
  }
  let seconds;
  const plain = VF_SECONDS.exec(text);
  const clock = plain ? null : VF_CLOCK.exec(text);
  if (plain) {
    seconds = parseInt(plain[1], 10);
  } else if (clock) {
    const hours = clock[1] === undefined ? 0 : parseInt(clock[1], 10);
    seconds = hours * 3600 + parseInt(clock[2], 10) * 60 + parseInt(clock[3], 10);
  } else {
    errors.push('Duration "' + text + '" is not a length in seconds; write e.g. 45, 45s or 0:45');
    return;
  }
  if (seconds < VF_MIN_DURATION || seconds > VF_MAX_DURATION) {
    errors.push('Duration ' + seconds + ' s is outside ' + VF_MIN_DURATION + '-' + VF_MAX_DURATION + ' s');
  }
}

function vfCheckLanguage_(cell, errors) {
  const text = vfTrim_(cell);
  if (text.length > 0 && !VF_LANGUAGE.test(text)) {
    errors.push('Language "' + text + '" is not a language tag; write e.g. en, en-US, pt-BR or ar');
  }
}

/** The Languages cell ("en, es, pt-BR"): every code a language tag, at least one, at most VF_MAX_LANGUAGES. */
function vfCheckLanguages_(cell, errors) {
  const text = vfTrim_(cell);
  const languages = [];
  const bad = [];
  const codes = text.split(VF_LIST_SEPARATOR);
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === '') {
      continue;
    }
    const tag = vfCanonicalLanguage_(codes[i]);
    if (tag === null) {
      bad.push('"' + codes[i] + '"');
    } else if (languages.indexOf(tag) < 0) {
      languages.push(tag);
    }
  }
  if (bad.length > 0) {
    const what = bad.length === 1 ? bad[0] + ' is not a language tag' : bad.join(', ') + ' are not language tags';
    errors.push('Languages "' + text + '": ' + what + '; write codes separated by commas, e.g. en, es, pt-BR');
  } else if (languages.length === 0) {
    errors.push('Languages "' + text + '" has no language code; write codes separated by commas, e.g. en, es, pt-BR');
  } else if (languages.length > VF_MAX_LANGUAGES) {
    errors.push('Languages has ' + languages.length + ' languages; the limit is ' + VF_MAX_LANGUAGES + ' (one video each)');
  }
}

function vfCheckPublishAt_(cell, errors) {
  const text = vfTrim_(cell);
  if (text.length > 0 && vfParsePublishAt_(text) === null) {
    errors.push('Publish At "' + text + '" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00');
  }
}

/**
 * The instant a Publish At cell names, in milliseconds since 1970 (a missing offset is UTC), or null when .NET's
 * DateTimeOffset.TryParseExact with RowValidator's formats would refuse it.
 * @param {string} text trimmed cell text
 * @return {?number}
 */
function vfParsePublishAt_(text) {
  const m = VF_PUBLISH_AT.exec(text);
  if (!m) {
    return null;
  }
  const year = +m[1], month = +m[2], day = +m[3], hour = +m[4], minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  const fraction = m[7] ? Number('0.' + m[7]) : 0;
  if (year < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day < 1 || day > days) {
    return null;
  }
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = +digits.slice(0, digits.length - 2);
    const offsetMins = +digits.slice(-2);
    // "+200" has no ':' and three digits: .NET reads "20" as the hours and then misses the minutes.
    if (zone.indexOf(':') < 0 && digits.length !== 4) {
      return null;
    }
    if (offsetMins >= 60 || offsetHours * 60 + offsetMins > 14 * 60) {
      return null;
    }
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const utc = local.getTime() + fraction * 1000 - offsetMinutes * 60000;
  // DateTimeOffset's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z.
  if (utc < -62135596800000 || utc >= 253402300800000) {
    return null;
  }
  return utc;
}

function vfCheckHashtags_(cell, errors) {
  const seen = {};
  let count = 0;
  const words = String(cell).split(VF_LIST_SEPARATOR);
  for (let i = 0; i < words.length; i++) {
    const tag = words[i].replace(/^#+/, '').replace(/[^\p{L}\p{M}\p{N}_]/gu, '');
    // OrdinalIgnoreCase: simple (one-to-one) upper-casing per code point.
    let key = '';
    for (const ch of tag) {
      const upper = ch.toUpperCase();
      key += Array.from(upper).length === 1 ? upper : ch;
    }
    if (tag.length > 0 && !Object.prototype.hasOwnProperty.call(seen, key)) {
      seen[key] = true;
      count++;
    }
  }
  if (count > VF_MAX_HASHTAGS) {
    errors.push('Hashtags has ' + count + ' tags; the limit is ' + VF_MAX_HASHTAGS);
  }
}

/**
 * Advice the backend does not enforce but a person wants before sending: a Publish At already past.
 * @param {Object<string, string>} cells
 * @param {number} nowMs
 * @return {string[]}
 */
function vfRowWarnings_(cells, nowMs) {
  const text = vfTrim_(cells['Publish At'] === undefined ? '' : String(cells['Publish At']));
  const when = text.length > 0 ? vfParsePublishAt_(text) : null;
  if (when !== null && when <= nowMs) {
    return ['Publish At "' + text + '" is in the past; the video will be published as soon as it is approved'];
  }
  return [];
}
