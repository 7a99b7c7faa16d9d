/**
 * @OnlyCurrentDoc
 * Reading the sheet by its header row and writing output cells, never input cells, never formulas.
 */

/**
 * Where the contract's columns sit: the header row (always 1, see vfFindLayout_) and each known column's
 * 1-based index, found by header text in any order.
 * @typedef {{headerRow: number, columns: Object<string, number>, width: number}} VfLayout
 */

/**
 * Finds the header row and the contract's columns, or throws an Error whose message says what to fix.
 * The backend reads the header from row 1 (GoogleSheet.cs), so a header found lower down is named, not used.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @return {VfLayout}
 */
function vfFindLayout_(sheet) {
  const lastColumn = sheet.getLastColumn();
  const lastRow = sheet.getLastRow();
  if (lastColumn < 1 || lastRow < 1) {
    throw new Error('The tab "' + sheet.getName() + '" is empty: put the column names (Topic, Platform, Duration, ...) in row 1 and one idea per row below.');
  }
  const top = sheet.getRange(1, 1, Math.min(lastRow, VF_HEADER_SEARCH_ROWS), lastColumn).getDisplayValues();
  const columns = vfColumnsOf_(top[0]);
  if (columns['Topic']) {
    return { headerRow: 1, columns: columns, width: lastColumn };
  }
  for (let r = 1; r < top.length; r++) {
    if (vfColumnsOf_(top[r])['Topic']) {
      throw new Error('The header row of "' + sheet.getName() + '" is row ' + (r + 1) + '; ViralForge needs it in row 1 (the backend writes status by it). Move the column names to row 1.');
    }
  }
  if (Object.keys(columns).length > 0) {
    const found = top[0].filter(function (h) { return vfTrim_(h) !== ''; }).map(function (h) { return '"' + h + '"'; }).join(', ');
    throw new Error('The header row of "' + sheet.getName() + '" has no Topic column; headers found: ' + found + '. Add a column named Topic.');
  }
  throw new Error('No header row found in "' + sheet.getName() + '": put the column names (Topic, Platform, Duration, Style, Voice, Language, Publish At, Hashtags, Notes) in row 1.');
}

/** The contract columns of one header row: canonical name → 1-based column; the first of two same-named wins. */
function vfColumnsOf_(header) {
  /** @type {Object<string, number>} */
  const columns = {};
  for (let i = 0; i < header.length; i++) {
    const name = vfCanonical_(String(header[i]));
    if (name && !columns[name]) {
      columns[name] = i + 1;
    }
  }
  return columns;
}

/**
 * The sheet rows a range list covers below the header, each once, in sheet order. Hidden and filtered-out rows
 * inside a selected range count as selected; whole-column selections stop at the last row with content.
 * @param {GoogleAppsScript.Spreadsheet.RangeList} rangeList
 * @param {number} headerRow
 * @param {number} lastRow
 * @return {number[]}
 */
function vfSelectedRows_(rangeList, headerRow, lastRow) {
  const seen = {};
  const rows = [];
  const ranges = rangeList ? rangeList.getRanges() : [];
  for (let i = 0; i < ranges.length; i++) {
    const first = Math.max(ranges[i].getRow(), headerRow + 1);
    const last = Math.min(ranges[i].getLastRow(), lastRow);
    for (let r = first; r <= last; r++) {
      if (!seen[r]) {
        seen[r] = true;
        rows.push(r);
      }
    }
  }
  return rows.sort(function (a, b) { return a - b; });
}

/**
 * Reads the contract cells of the given rows as the backend reads them (valueRenderOption=FORMULA with dates as
 * formatted strings): a formula as its text, a number as its digits, a date as shown, TRUE/FALSE.
 * Contiguous rows are read with one request each.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {VfLayout} layout
 * @param {number[]} rowNumbers sorted ascending
 * @return {Array<{rowNumber: number, cells: Object<string, string>}>}
 */
function vfReadRows_(sheet, layout, rowNumbers) {
  const out = [];
  const width = Math.max(layout.width, vfMaxColumn_(layout));
  let i = 0;
  while (i < rowNumbers.length) {
    let j = i;
    while (j + 1 < rowNumbers.length && rowNumbers[j + 1] === rowNumbers[j] + 1) {
      j++;
    }
    const range = sheet.getRange(rowNumbers[i], 1, j - i + 1, width);
    const values = range.getValues();
    const formulas = range.getFormulas();
    const shown = range.getDisplayValues();
    for (let k = 0; k <= j - i; k++) {
      /** @type {Object<string, string>} */
      const cells = {};
      Object.keys(layout.columns).forEach(function (name) {
        const c = layout.columns[name] - 1;
        cells[name] = vfCellText_(values[k][c], formulas[k][c], shown[k][c]);
      });
      out.push({ rowNumber: rowNumbers[i + k], cells: cells });
    }
    i = j + 1;
  }
  return out;
}

function vfMaxColumn_(layout) {
  let max = 1;
  Object.keys(layout.columns).forEach(function (name) { max = Math.max(max, layout.columns[name]); });
  return max;
}

/** One cell as text, the way the backend's Sheets read gives it. */
function vfCellText_(value, formula, shown) {
  if (formula) {
    return String(formula);
  }
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'boolean') {
    return value ? 'TRUE' : 'FALSE';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (Object.prototype.toString.call(value) === '[object Date]') {
    return String(shown);
  }
  return String(value);
}

/** True when every input cell is blank: such rows are spacing, not requests (SheetRow.IsBlank). */
function vfIsBlankRow_(cells) {
  return VF_INPUT_COLUMNS.every(function (c) { return vfTrim_(cells[c] === undefined ? '' : cells[c]) === ''; });
}

/**
 * Adds every missing output column at once, in contract order, right of the widest row, as the backend does,
 * so the tab gets the same layout whoever writes first.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {VfLayout} layout
 */
function vfEnsureOutputColumns_(sheet, layout) {
  const missing = VF_OUTPUT_COLUMNS.filter(function (c) { return !layout.columns[c]; });
  if (missing.length === 0) {
    return;
  }
  let next = Math.max(sheet.getLastColumn(), vfMaxColumn_(layout)) + 1;
  const needed = next + missing.length - 1;
  if (needed > sheet.getMaxColumns()) {
    sheet.insertColumnsAfter(sheet.getMaxColumns(), needed - sheet.getMaxColumns());
  }
  missing.forEach(function (name) {
    sheet.getRange(layout.headerRow, next).setValue(name);
    layout.columns[name] = next;
    next++;
  });
  layout.width = Math.max(layout.width, next - 1);
}

/**
 * A value as plain text that Sheets keeps as typed: a leading = + - or @ would make a formula (or an error)
 * of it, so such text gets the apostrophe that marks a cell as text.
 */
function vfPlain_(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@]/.test(text) ? "'" + text : text;
}

/**
 * Writes one output cell. Refuses any column that is not an output column, whatever the caller asks.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {VfLayout} layout
 * @param {number} row
 * @param {string} column canonical output column name
 * @param {*} value
 */
function vfWriteOutput_(sheet, layout, row, column, value) {
  if (!vfIsOutput_(column) || !layout.columns[column]) {
    throw new Error('ViralForge writes only its output columns, not "' + column + '".');
  }
  if (row <= layout.headerRow) {
    throw new Error('ViralForge does not write into the header row.');
  }
  sheet.getRange(row, layout.columns[column]).setValue(vfPlain_(value));
}

/** True when two rows' input cells are the same request (RowHasher trims each value). */
function vfSameInputs_(a, b) {
  return VF_INPUT_COLUMNS.every(function (c) {
    return vfTrim_(a[c] === undefined ? '' : a[c]) === vfTrim_(b[c] === undefined ? '' : b[c]);
  });
}
