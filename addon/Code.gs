/**
 * @OnlyCurrentDoc
 * The menu, the sidebar's server functions and the submission of rows. Functions whose names end in "_" are
 * private: google.script.run cannot call them.
 */

const VF_DEFAULT_OPTIONS = { Platform: 'youtube', Style: 'clean', Voice: 'default', Duration: '30' };

/** @param {*=} e */
function onOpen(e) {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Open sidebar', 'showSidebar')
    .addItem('Submit selected rows', 'submitSelectedRows')
    .addItem('Settings', 'showSettings')
    .addToUi();
}

/** @param {*=} e */
function onInstall(e) {
  onOpen(e);
}

function showSidebar() {
  vfShowSidebar_('rows');
}

function showSettings() {
  vfShowSidebar_('settings');
}

/** Opens Sidebar.html on one of its views (the body's data-view attribute; no template scriptlets). */
function vfShowSidebar_(view) {
  const output = HtmlService.createHtmlOutputFromFile('Sidebar');
  if (view !== 'rows') {
    output.setContent(output.getContent().replace('<body data-view="rows">', '<body data-view="' + view + '">'));
  }
  SpreadsheetApp.getUi().showSidebar(output.setTitle('ViralForge'));
}

/** What the sidebar needs to start: the saved default options and whether formulas have an API key. */
function getSidebarState() {
  const props = PropertiesService.getUserProperties();
  return {
    defaults: vfLoadDefaults_(),
    hasKey: !!props.getProperty(VF_PROP_API_KEY),
    keyCreatedAt: props.getProperty(VF_PROP_API_KEY_CREATED) || '',
    backendUrl: VF_BACKEND_URL,
  };
}

/** The default options (Platform, Style, Voice, Duration) saved by the sidebar, else the product's. */
function vfLoadDefaults_() {
  const saved = PropertiesService.getUserProperties().getProperty(VF_PROP_DEFAULTS);
  const defaults = Object.assign({}, VF_DEFAULT_OPTIONS);
  if (saved) {
    try {
      Object.assign(defaults, vfCleanDefaults_(JSON.parse(saved)));
    } catch (e) {
      // A damaged property: the product's defaults are a safe answer.
    }
  }
  return defaults;
}

/** Keeps only the four known default options, as strings. */
function vfCleanDefaults_(defaults) {
  const clean = {};
  Object.keys(VF_DEFAULT_OPTIONS).forEach(function (k) {
    if (defaults && defaults[k] !== undefined && defaults[k] !== null) {
      clean[k] = vfTrim_(String(defaults[k]));
    }
  });
  return clean;
}

/** @param {Object<string, string>} defaults */
function saveDefaults(defaults) {
  const clean = Object.assign({}, VF_DEFAULT_OPTIONS, vfCleanDefaults_(defaults));
  PropertiesService.getUserProperties().setProperty(VF_PROP_DEFAULTS, JSON.stringify(clean));
  return clean;
}

/**
 * The selected rows of the active tab with each row's validation, before anything is sent.
 * @param {Object<string, string>=} defaults the sidebar's default options; the saved ones when absent
 */
function readSelection(defaults) {
  const sheet = SpreadsheetApp.getActiveSheet();
  const layout = vfFindLayout_(sheet);
  const rowNumbers = vfSelectedRows_(sheet.getActiveRangeList(), layout.headerRow, sheet.getLastRow());
  const options = Object.assign({}, vfLoadDefaults_(), vfCleanDefaults_(defaults || {}));
  const now = Date.now();
  const rows = [];
  let blank = 0;
  vfReadRows_(sheet, layout, rowNumbers).forEach(function (row) {
    if (vfIsBlankRow_(row.cells)) {
      blank++;
      return;
    }
    const check = vfValidateRow_(row.cells, options);
    rows.push({
      rowNumber: row.rowNumber,
      topic: vfTrim_(row.cells['Topic'] || ''),
      jobId: vfTrim_(row.cells['Job ID'] || ''),
      status: vfTrim_(row.cells['Status'] || ''),
      errors: check.errors,
      warnings: vfRowWarnings_(row.cells, now),
    });
  });
  return { sheetName: sheet.getName(), rows: rows, blankRows: blank, defaults: options };
}

/**
 * Sends one batch of rows (at most VF_BATCH_SIZE) from the sidebar and writes each Job ID into its row at once.
 * @param {{sheetName: string, rowNumbers: number[], defaults: Object<string, string>}} request
 */
function submitRows(request) {
  if (!request || !Array.isArray(request.rowNumbers) || request.rowNumbers.length > VF_BATCH_SIZE) {
    throw new Error('Send at most ' + VF_BATCH_SIZE + ' rows per call.');
  }
  const sheet = vfSheetByName_(request.sheetName);
  const options = Object.assign({}, vfLoadDefaults_(), vfCleanDefaults_(request.defaults || {}));
  return vfSubmit_(sheet, request.rowNumbers, options);
}

/** The menu's "Submit selected rows": every selected row, in batches, with a summary when done. */
function submitSelectedRows() {
  const ui = SpreadsheetApp.getUi();
  const sheet = SpreadsheetApp.getActiveSheet();
  let outcome;
  try {
    const layout = vfFindLayout_(sheet);
    const rowNumbers = vfSelectedRows_(sheet.getActiveRangeList(), layout.headerRow, sheet.getLastRow());
    if (rowNumbers.length === 0) {
      ui.alert('ViralForge', 'Select the rows to submit first (any cells of them; Ctrl-click for more than one block).', ui.ButtonSet.OK);
      return null;
    }
    outcome = vfSubmit_(sheet, rowNumbers, vfLoadDefaults_());
  } catch (e) {
    ui.alert('ViralForge', vfMessage_(e), ui.ButtonSet.OK);
    return null;
  }
  ui.alert('ViralForge', vfSummary_(outcome), ui.ButtonSet.OK);
  return outcome;
}

/** A few lines a person can read: how many rows went, and every row that did not with its reason. */
function vfSummary_(outcome) {
  const sent = outcome.results.filter(function (r) { return r.jobId; });
  const failed = outcome.results.filter(function (r) { return !r.jobId; });
  const lines = [sent.length + ' row' + (sent.length === 1 ? '' : 's') + ' submitted; ' + failed.length + ' not.'];
  outcome.problems.forEach(function (p) { lines.push(p.message); });
  failed.slice(0, 20).forEach(function (r) { lines.push('Row ' + r.rowNumber + ': ' + r.error); });
  if (failed.length > 20) {
    lines.push('… and ' + (failed.length - 20) + ' more (see the sidebar).');
  }
  return lines.join('\n');
}

function vfMessage_(e) {
  return e && e.message ? e.message : String(e);
}

/** A tab of the active spreadsheet by name, or an Error saying it is gone. */
function vfSheetByName_(name) {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(String(name));
  if (!sheet) {
    throw new Error('The tab "' + name + '" is gone (renamed or deleted?); select the rows again.');
  }
  return sheet;
}

/** The backend's rowNumber for a sheet row: SheetRow.RowNumber, the 1-based data row with the header (row 1) excluded. */
function vfWireRow_(layout, sheetRow) {
  return sheetRow - layout.headerRow;
}

/**
 * Validates the rows, sends the valid ones to POST /jobs in batches of VF_BATCH_SIZE (VF_PARALLEL_REQUESTS at a time
 * through fetchAll), and writes each answer into its row as it comes back.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {number[]} rowNumbers sheet rows
 * @param {Object<string, string>} defaults
 * @return {{results: Array<{rowNumber: number, jobId: ?string, created: boolean, status: string, error: ?string}>,
 *   problems: Array<{status: number, message: string, retryAfter: number, rowNumbers: number[]}>}}
 */
function vfSubmit_(sheet, rowNumbers, defaults) {
  const layout = vfFindLayout_(sheet);
  // Row numbers come from the sidebar: keep whole numbers of rows that exist below the header.
  const lastRow = sheet.getLastRow();
  const sorted = rowNumbers.map(Number)
    .filter(function (r) { return Number.isInteger(r) && r > layout.headerRow && r <= lastRow; })
    .sort(function (a, b) { return a - b; })
    .filter(function (r, i, all) { return i === 0 || all[i - 1] !== r; });
  const results = {};
  const problems = [];
  const valid = [];
  vfReadRows_(sheet, layout, sorted).forEach(function (row) {
    if (vfIsBlankRow_(row.cells)) {
      return;
    }
    const check = vfValidateRow_(row.cells, defaults);
    if (check.valid) {
      valid.push(row);
    } else {
      results[row.rowNumber] = { rowNumber: row.rowNumber, jobId: null, created: false, status: 'invalid', error: check.error };
    }
  });

  const batches = [];
  for (let i = 0; i < valid.length; i += VF_BATCH_SIZE) {
    batches.push(valid.slice(i, i + VF_BATCH_SIZE));
  }
  if (batches.length > 0) {
    const token = vfIdentityToken_();
    const spreadsheetId = SpreadsheetApp.getActiveSpreadsheet().getId();
    let columnsReady = false;
    for (let g = 0; g < batches.length; g += VF_PARALLEL_REQUESTS) {
      const group = batches.slice(g, g + VF_PARALLEL_REQUESTS);
      const requests = group.map(function (batch) {
        return vfRequest_('post', 'jobs', token, {
          spreadsheetId: spreadsheetId,
          sheetName: sheet.getName(),
          rows: batch.map(function (row) { return vfWireRowBody_(layout, row); }),
          defaults: defaults,
        });
      });
      const responses = UrlFetchApp.fetchAll(requests);
      group.forEach(function (batch, b) {
        const answer = vfReadAnswer_(responses[b], 'Submitting rows ' + vfRowList_(batch));
        const answers = answer.ok ? vfJobResults_(answer.body, batch, layout) : null;
        if (!answers) {
          const message = answer.ok
            ? 'Submitting rows ' + vfRowList_(batch) + ' failed: the backend\'s answer does not have one result per row sent.'
            : answer.message;
          problems.push({ status: answer.status, message: message, retryAfter: answer.retryAfter,
            rowNumbers: batch.map(function (r) { return r.rowNumber; }) });
          batch.forEach(function (row) {
            results[row.rowNumber] = { rowNumber: row.rowNumber, jobId: null, created: false, status: '', error: message };
          });
          return;
        }
        if (!columnsReady) {
          vfEnsureOutputColumns_(sheet, layout);
          columnsReady = true;
        }
        vfWriteResults_(sheet, layout, batch, answers).forEach(function (r) { results[r.rowNumber] = r; });
      });
      SpreadsheetApp.flush();
    }
  }
  return {
    results: sorted.filter(function (r) { return results[r]; }).map(function (r) { return results[r]; }),
    problems: problems,
  };
}

/**
 * One row as POST /jobs takes it: its rowNumber, its input cells, and its Job ID cell as jobId (null when blank or
 * when the tab has no Job ID column). A row whose inputs were edited since its job was made is a new job, and the
 * backend cancels the job its Job ID names, so that the old video does not go on to publish.
 * @param {VfLayout} layout
 * @param {{rowNumber: number, cells: Object<string, string>}} row
 * @return {{rowNumber: number, cells: Object<string, string>, jobId: ?string}}
 */
function vfWireRowBody_(layout, row) {
  const jobId = row.cells['Job ID'] === undefined ? '' : vfTrim_(String(row.cells['Job ID']));
  return { rowNumber: vfWireRow_(layout, row.rowNumber), cells: vfInputCells_(row.cells), jobId: jobId === '' ? null : jobId };
}

/** All the input cells, blank ones as "" so that the backend's defaults apply exactly where the sidebar's did. */
function vfInputCells_(cells) {
  /** @type {Object<string, string>} */
  const out = {};
  VF_INPUT_COLUMNS.forEach(function (c) {
    const value = cells[c] === undefined ? '' : String(cells[c]);
    out[c] = vfTrim_(value) === '' ? '' : value;
  });
  return out;
}

function vfRowList_(batch) {
  if (batch.length === 1) {
    return String(batch[0].rowNumber);
  }
  return batch[0].rowNumber + '-' + batch[batch.length - 1].rowNumber;
}

/** The results of a POST /jobs answer in the order sent, or null when they do not match the rows sent. */
function vfJobResults_(body, batch, layout) {
  if (!body || !Array.isArray(body.results) || body.results.length !== batch.length) {
    return null;
  }
  for (let i = 0; i < batch.length; i++) {
    const r = body.results[i];
    if (!r || typeof r !== 'object' || r.rowNumber !== vfWireRow_(layout, batch[i].rowNumber)) {
      return null;
    }
  }
  return body.results;
}

/**
 * Writes Job ID, Status and Error of each answered row, after checking the row still holds what was sent (the
 * person may have sorted or edited meanwhile); a row that changed keeps its cells and the result says so.
 */
function vfWriteResults_(sheet, layout, batch, answers) {
  const now = {};
  vfReadRows_(sheet, layout, batch.map(function (r) { return r.rowNumber; }))
    .forEach(function (row) { now[row.rowNumber] = row.cells; });
  return batch.map(function (row, i) {
    const a = answers[i];
    const jobId = typeof a.jobId === 'string' && a.jobId ? a.jobId : null;
    const status = typeof a.status === 'string' ? a.status : '';
    const error = typeof a.error === 'string' && a.error ? a.error : null;
    const result = { rowNumber: row.rowNumber, jobId: jobId, created: a.created === true, status: status, error: error };
    if (!now[row.rowNumber] || !vfSameInputs_(now[row.rowNumber], row.cells)) {
      result.error = 'Row ' + row.rowNumber + ' changed while it was being submitted, so nothing was written into it' +
        (jobId ? ' (its Job ID is ' + jobId + ')' : '') + '.';
      return result;
    }
    if (jobId) {
      vfWriteOutput_(sheet, layout, row.rowNumber, 'Job ID', jobId);
    }
    vfWriteOutput_(sheet, layout, row.rowNumber, 'Status', status);
    vfWriteOutput_(sheet, layout, row.rowNumber, 'Error', error || '');
    if (!jobId && !result.error) {
      result.error = 'The backend gave no Job ID for this row.';
    }
    return result;
  });
}

/**
 * Progress of submitted jobs as the sheet shows it: the backend writes Status, Stage, Error, Video and Preview into
 * the rows, so the sidebar reads them here instead of asking the backend. Rows are found by Job ID, wherever they moved.
 * @param {{sheetName: string, jobIds: string[]}} request
 */
function readProgress(request) {
  const sheet = vfSheetByName_(request.sheetName);
  const layout = vfFindLayout_(sheet);
  const jobs = {};
  const wanted = {};
  (request.jobIds || []).forEach(function (id) { wanted[vfTrim_(String(id))] = true; });
  const lastRow = sheet.getLastRow();
  if (layout.columns['Job ID'] && lastRow > layout.headerRow) {
    const count = lastRow - layout.headerRow;
    const read = function (column) {
      return layout.columns[column]
        ? sheet.getRange(layout.headerRow + 1, layout.columns[column], count, 1).getDisplayValues().map(function (r) { return r[0]; })
        : null;
    };
    const ids = read('Job ID') || [];
    const columns = { status: read('Status'), stage: read('Stage'), error: read('Error'), video: read('Video'), preview: read('Preview'), publishedUrl: read('Published URL') };
    for (let i = 0; i < ids.length; i++) {
      const id = vfTrim_(ids[i]);
      if (id && wanted[id] && !jobs[id]) {
        const job = { rowNumber: layout.headerRow + 1 + i };
        Object.keys(columns).forEach(function (k) { job[k] = columns[k] ? columns[k][i] : ''; });
        job.final = VF_FINAL_STATUSES.indexOf(vfTrim_(job.status).toLowerCase()) >= 0;
        jobs[id] = job;
      }
    }
  }
  return { jobs: jobs };
}

/** Settings: a new per-user API key for the formula functions (POST /keys), replacing the old one. */
function issueApiKey() {
  const answer = vfReadAnswer_(vfFetch_(vfRequest_('post', 'keys', vfIdentityToken_(), {})), 'Issuing an API key');
  if (!answer.ok) {
    throw new Error(answer.message);
  }
  const key = answer.body && typeof answer.body.key === 'string' ? answer.body.key : '';
  if (key.indexOf('vfk_') !== 0) {
    throw new Error('Issuing an API key failed: the backend\'s answer has no key.');
  }
  const createdAt = typeof answer.body.createdAt === 'string' ? answer.body.createdAt : '';
  const props = PropertiesService.getUserProperties();
  props.setProperty(VF_PROP_API_KEY, key);
  props.setProperty(VF_PROP_API_KEY_CREATED, createdAt);
  return { hasKey: true, keyCreatedAt: createdAt };
}

/** Settings: revokes the caller's API key (DELETE /keys) and forgets it. */
function revokeApiKey() {
  const answer = vfReadAnswer_(vfFetch_(vfRequest_('delete', 'keys', vfIdentityToken_())), 'Revoking the API key');
  if (!answer.ok && answer.status !== 404) {
    throw new Error(answer.message);
  }
  const props = PropertiesService.getUserProperties();
  props.deleteProperty(VF_PROP_API_KEY);
  props.deleteProperty(VF_PROP_API_KEY_CREATED);
  return { hasKey: false, keyCreatedAt: '' };
}
