'use strict';
// Small fakes of the Apps Script services the add-on uses, and a loader that runs the .gs files in one vm
// context the way Apps Script does (all files share one global scope).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ADDON = path.join(__dirname, '..');

/** Column letters → 1-based number. */
function colNumber(letters) {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** What Sheets shows for a value in the fakes: dates as M/D/YYYY H:mm:ss, like a US-locale sheet. */
function display(value) {
  if (value instanceof Date) {
    const p = (n) => String(n).padStart(2, '0');
    return `${value.getUTCMonth() + 1}/${value.getUTCDate()}/${value.getUTCFullYear()} ${value.getUTCHours()}:${p(value.getUTCMinutes())}:${p(value.getUTCSeconds())}`;
  }
  if (value === true) return 'TRUE';
  if (value === false) return 'FALSE';
  return value === null || value === undefined ? '' : String(value);
}

class FakeSheet {
  /** @param {string} name @param {any[][]} rows first row is usually the header */
  constructor(name, rows, { maxRows, maxColumns } = {}) {
    this.name = name;
    this.cells = rows.map((r) => r.slice());
    this.formulas = new Map(); // "r,c" → formula text
    this.hidden = new Set();
    this.filtered = new Set();
    const width = Math.max(0, ...rows.map((r) => r.length));
    this.maxRows = maxRows || Math.max(rows.length, 1000);
    this.maxColumns = maxColumns || Math.max(width, 26);
    this.writes = []; // {row, column, value} as setValue received them
    this.rangeList = null;
    this.reads = 0;
  }

  getName() { return this.name; }
  getMaxRows() { return this.maxRows; }
  getMaxColumns() { return this.maxColumns; }
  getLastRow() {
    for (let r = this.cells.length; r >= 1; r--) {
      if ((this.cells[r - 1] || []).some((v) => v !== '' && v !== null && v !== undefined)) return r;
    }
    return 0;
  }
  getLastColumn() {
    let last = 0;
    this.cells.forEach((row) => row.forEach((v, c) => { if (v !== '' && v !== null && v !== undefined) last = Math.max(last, c + 1); }));
    return last;
  }
  isRowHiddenByUser(row) { return this.hidden.has(row); }
  isRowHiddenByFilter(row) { return this.filtered.has(row); }
  insertColumnsAfter(after, count) {
    this.maxColumns += count;
    this.cells.forEach((row) => { if (row.length > after) row.splice(after, 0, ...new Array(count).fill('')); });
  }
  value(row, column) { return (this.cells[row - 1] || [])[column - 1] ?? ''; }
  /** The cell as a person sees it: a formula shows as its text (so an injected one is visible in tests). */
  text(row, column) { return this.formulas.get(`${row},${column}`) ?? display(this.value(row, column)); }
  setFormula(row, column, formula) { this.formulas.set(`${row},${column}`, formula); }
  header() { return (this.cells[0] || []).map(display); }
  columnOf(name) { return this.header().indexOf(name) + 1; }

  getRange(a, b, c, d) {
    if (typeof a === 'string') return this.a1(a);
    return new FakeRange(this, a, b, c ?? 1, d ?? 1);
  }
  /** "A2:C5", "A:A", "3:4" → a range (whole columns/rows run to the sheet's max). */
  a1(text) {
    const m = /^([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?$/.exec(text);
    const [, c1, r1, c2 = c1, r2 = r1] = m;
    const row = r1 ? +r1 : 1, lastRow = r2 ? +r2 : this.maxRows;
    const col = c1 ? colNumber(c1) : 1, lastCol = c2 ? colNumber(c2) : this.maxColumns;
    return new FakeRange(this, row, col, lastRow - row + 1, lastCol - col + 1);
  }
  select(...a1s) { this.rangeList = { getRanges: () => a1s.map((x) => this.a1(x)) }; }
  getActiveRangeList() { return this.rangeList; }
}

class FakeRange {
  constructor(sheet, row, column, numRows, numColumns) {
    if (row < 1 || column < 1 || numRows < 1 || numColumns < 1) throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    if (row + numRows - 1 > sheet.maxRows || column + numColumns - 1 > sheet.maxColumns) {
      throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    }
    Object.assign(this, { sheet, row, column, numRows, numColumns });
  }
  getRow() { return this.row; }
  getLastRow() { return this.row + this.numRows - 1; }
  getColumn() { return this.column; }
  getNumRows() { return this.numRows; }
  grid(fn) {
    this.sheet.reads++;
    const out = [];
    for (let r = 0; r < this.numRows; r++) {
      const line = [];
      for (let c = 0; c < this.numColumns; c++) line.push(fn(this.row + r, this.column + c));
      out.push(line);
    }
    return out;
  }
  getValues() { return this.grid((r, c) => this.sheet.value(r, c)); }
  getFormulas() { return this.grid((r, c) => this.sheet.formulas.get(`${r},${c}`) ?? ''); }
  getDisplayValues() { return this.grid((r, c) => display(this.sheet.value(r, c))); }
  /** Sheets' own parsing of a typed value: '=' makes a formula, a leading apostrophe forces text. */
  setValue(value) {
    if (this.numRows !== 1 || this.numColumns !== 1) throw new Error('fake: setValue on one cell only');
    const { sheet, row, column } = this;
    sheet.writes.push({ row, column, value });
    while (sheet.cells.length < row) sheet.cells.push([]);
    const line = sheet.cells[row - 1];
    while (line.length < column) line.push('');
    sheet.formulas.delete(`${row},${column}`);
    if (typeof value === 'string' && value.startsWith("'")) {
      line[column - 1] = value.slice(1);
    } else if (typeof value === 'string' && /^[=+\-@]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value)) {
      sheet.formulas.set(`${row},${column}`, value);
      line[column - 1] = '#ERROR!';
    } else {
      line[column - 1] = value;
    }
    return this;
  }
}

/** UrlFetchApp: answers come from a handler(request) → {code, body, headers}; every request is recorded. */
class FakeUrlFetch {
  constructor(handler) {
    this.handler = handler || (() => ({ code: 500, body: '' }));
    this.requests = [];
    this.fetchAllCalls = [];
    this.fetchCalls = 0;
  }
  respond(request) {
    const recorded = {
      url: request.url,
      method: String(request.method || 'get').toLowerCase(),
      headers: request.headers || {},
      contentType: request.contentType,
      muteHttpExceptions: request.muteHttpExceptions,
      body: request.payload === undefined ? undefined : JSON.parse(request.payload),
    };
    this.requests.push(recorded);
    const answer = this.handler(recorded) || { code: 500, body: '' };
    if (!request.muteHttpExceptions && answer.code >= 400) throw new Error(`Request failed for ${request.url} returned code ${answer.code}`);
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return {
      getResponseCode: () => answer.code,
      getContentText: () => body ?? '',
      getHeaders: () => answer.headers || {},
    };
  }
  fetch(url, params) {
    this.fetchCalls++;
    if (params && 'url' in params) throw new Error('fake: fetch takes the URL as its first argument');
    return this.respond({ ...(params || {}), url });
  }
  fetchAll(requests) {
    this.fetchAllCalls.push(requests.length);
    return requests.map((r) => this.respond(r));
  }
}

class FakeCache {
  constructor() { this.map = new Map(); this.puts = []; }
  getAll(keys) {
    if (keys.some((k) => k.length > 250)) throw new Error('fake: cache key longer than 250 characters');
    const out = {};
    keys.forEach((k) => { if (this.map.has(k)) out[k] = this.map.get(k); });
    return out;
  }
  putAll(values, ttl) {
    this.puts.push({ keys: Object.keys(values), ttl });
    Object.entries(values).forEach(([k, v]) => this.map.set(k, v));
  }
  get(k) { return this.map.has(k) ? this.map.get(k) : null; }
  put(k, v) { this.map.set(k, v); }
}

class FakeProperties {
  constructor(initial) { this.map = new Map(Object.entries(initial || {})); }
  getProperty(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setProperty(k, v) { this.map.set(k, String(v)); return this; }
  deleteProperty(k) { this.map.delete(k); return this; }
}

class FakeUi {
  constructor() { this.menus = []; this.sidebars = []; this.alerts = []; this.ButtonSet = { OK: 'OK' }; }
  createAddonMenu() {
    const menu = { items: [], addItem(caption, fn) { this.items.push({ caption, fn }); return this; }, addToUi: () => { this.menus.push(menu); } };
    return menu;
  }
  showSidebar(output) { this.sidebars.push(output); }
  alert(title, message) { this.alerts.push({ title, message }); return 'OK'; }
}

/**
 * A fresh add-on: the .gs files loaded into their own context with the fakes.
 * @param {{sheets?: FakeSheet[], fetch?: Function, properties?: object, identityToken?: string|null}} opts
 */
function loadAddon(opts = {}) {
  const sheets = opts.sheets || [];
  const ui = new FakeUi();
  const urlFetch = new FakeUrlFetch(opts.fetch);
  const cache = new FakeCache();
  const properties = new FakeProperties(opts.properties);
  let active = sheets[0] || null;
  let flushes = 0;
  const spreadsheet = {
    getId: () => 'sheet-file-1',
    getSheetByName: (n) => sheets.find((s) => s.name === n) || null,
    getActiveSheet: () => active,
  };
  const services = {
    SpreadsheetApp: {
      getUi: () => ui,
      getActiveSpreadsheet: () => spreadsheet,
      getActiveSheet: () => active,
      flush: () => { flushes++; },
    },
    UrlFetchApp: urlFetch,
    CacheService: { getUserCache: () => cache },
    PropertiesService: { getUserProperties: () => properties },
    ScriptApp: { getIdentityToken: () => (opts.identityToken === undefined ? 'google-id-token' : opts.identityToken) },
    HtmlService: {
      createHtmlOutputFromFile(name) {
        let content = fs.readFileSync(path.join(ADDON, `${name}.html`), 'utf8');
        let title = '';
        const output = {
          getContent: () => content,
          setContent(c) { content = c; return output; },
          setTitle(t) { title = t; return output; },
          getTitle: () => title,
        };
        return output;
      },
    },
    console,
  };
  const context = vm.createContext(services);
  for (const file of fs.readdirSync(ADDON).filter((f) => f.endsWith('.gs')).sort()) {
    vm.runInContext(fs.readFileSync(path.join(ADDON, file), 'utf8'), context, { filename: file });
  }
  return {
    context,
    ui,
    urlFetch,
    cache,
    properties,
    flushes: () => flushes,
    activate(sheet) { active = sheet; },
    /** Calls a global function of the add-on; its answer comes back as plain data of this realm. */
    call(name, ...args) {
      const result = context[name](...args);
      return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    },
    /** A top-level const of the add-on. */
    constant(name) { return vm.runInContext(name, context); },
  };
}

const HEADER = ['Topic', 'Platform', 'Duration', 'Style', 'Voice', 'Language', 'Publish At', 'Hashtags', 'Notes'];

/** A POST /jobs handler that gives every row a Job ID derived from its row number. */
function jobsOk(extra) {
  return (req) => {
    if (req.url.endsWith('/jobs') && req.method === 'post') {
      return {
        code: 200,
        body: { results: req.body.rows.map((r) => ({ rowNumber: r.rowNumber, jobId: `job-${r.rowNumber}`, created: true, status: 'queued', error: null, ...(extra ? extra(r) : {}) })) },
      };
    }
    return { code: 404, body: { title: 'Not Found', status: 404, detail: 'no such route' } };
  };
}

module.exports = { FakeSheet, loadAddon, HEADER, jobsOk, display };
