/**
 * @OnlyCurrentDoc
 * The sidebar's script check, for rows whose Review Script is on: after the script stage such a row's Status is
 * "script-review" and nothing is rendered until someone reads the script. These read it (GET /jobs/{id}/script) and
 * save the person's edit (PUT /jobs/{id}/script), which lets the video go on.
 */

/** The Status word of a row waiting for a script check (JobStatus.ScriptReview). */
const VF_SCRIPT_REVIEW_STATUS = 'script-review';

/** Card texts longer than this many words are refused, here and by the backend (ScriptReviews.MaxCardWords). */
const VF_MAX_CARD_WORDS = 6;

/**
 * The script of a row waiting for a check.
 * @param {string} jobId the row's Job ID
 * @return {{jobId: string, generation: number, topic: string, title: string, hook: string,
 *   beats: {narration: string, cardText: string}[], callToAction: string, maxCardWords: number}}
 */
function getRowScript(jobId) {
  const id = vfScriptJobId_(jobId);
  const answer = vfReadAnswer_(vfFetch_(vfRequest_('get', 'jobs/' + id + '/script', vfIdentityToken_())), 'Reading the script');
  if (!answer.ok) {
    throw new Error(answer.message);
  }
  const body = answer.body || {};
  const text = function (v) { return typeof v === 'string' ? v : ''; };
  return {
    jobId: id,
    generation: typeof body.generation === 'number' ? body.generation : 0,
    topic: text(body.topic),
    title: text(body.title),
    hook: text(body.hook),
    beats: (Array.isArray(body.beats) ? body.beats : []).map(function (b) {
      return { narration: text(b && b.narration), cardText: text(b && b.cardText) };
    }),
    callToAction: text(body.callToAction),
    maxCardWords: typeof body.maxCardWords === 'number' ? body.maxCardWords : VF_MAX_CARD_WORDS,
  };
}

/**
 * Saves the edited script and lets the row's video go on. An edit that breaks a rule is not sent (or, when the backend
 * finds more, not saved): the answer lists every problem, one sentence each, in the backend's words.
 * @param {string} jobId
 * @param {{generation: number, title: string, hook: string, beats: {narration: string, cardText: string}[], callToAction: string}} edit
 * @return {{saved: boolean, outcome: string, message: string, status: string, problems: string[]}}
 */
function saveRowScript(jobId, edit) {
  const id = vfScriptJobId_(jobId);
  const clean = vfCleanScriptEdit_(edit);
  const problems = vfScriptProblems_(clean);
  if (problems.length > 0) {
    return { saved: false, outcome: 'invalid', message: 'The script was not saved: ' + problems.join(' '), status: VF_SCRIPT_REVIEW_STATUS, problems: problems };
  }
  const response = vfFetch_(vfRequest_('put', 'jobs/' + id + '/script', vfIdentityToken_(), clean));
  if (response.getResponseCode() === 400) {
    const listed = vfProblemList_(response.getContentText());
    if (listed.length > 0) {
      return { saved: false, outcome: 'invalid', message: 'The script was not saved: ' + listed.join(' '), status: VF_SCRIPT_REVIEW_STATUS, problems: listed };
    }
  }
  const answer = vfReadAnswer_(response, 'Saving the script');
  if (!answer.ok) {
    throw new Error(answer.message);
  }
  const body = answer.body || {};
  return {
    saved: true,
    outcome: typeof body.outcome === 'string' ? body.outcome : 'continued',
    message: typeof body.message === 'string' ? body.message : 'Saved.',
    status: typeof body.status === 'string' ? body.status : '',
    problems: [],
  };
}

/** The Job ID cell's value as a job id (a UUID), or an Error a person can act on. */
function vfScriptJobId_(jobId) {
  const id = vfTrim_(String(jobId === undefined || jobId === null ? '' : jobId)).toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new Error('"' + vfSnippet_(String(jobId)) + '" is not a ViralForge Job ID: submit the row first.');
  }
  return id;
}

/** The edit as the backend takes it: strings trimmed, beats as sent (their count decides the script's). */
function vfCleanScriptEdit_(edit) {
  const e = edit || {};
  const text = function (v) { return vfTrim_(typeof v === 'string' ? v : ''); };
  return {
    generation: typeof e.generation === 'number' ? e.generation : 0,
    title: text(e.title),
    hook: text(e.hook),
    beats: (Array.isArray(e.beats) ? e.beats : []).map(function (b) {
      return { narration: text(b && b.narration), cardText: text(b && b.cardText) };
    }),
    callToAction: text(e.callToAction),
  };
}

/** The backend's rules (ScriptReviews.Validate), in its words, so the sidebar can say them before sending. */
function vfScriptProblems_(edit) {
  const problems = [];
  if (!edit.title) {
    problems.push('The title is empty.');
  }
  if (!edit.hook) {
    problems.push('The hook is empty.');
  }
  if (edit.beats.length === 0) {
    problems.push('The script has no beats; keep at least one.');
  }
  edit.beats.forEach(function (beat, i) {
    if (!beat.narration) {
      problems.push('The narration of beat ' + (i + 1) + ' is empty.');
    }
    const words = beat.cardText ? beat.cardText.split(/\s+/).filter(function (w) { return w; }).length : 0;
    if (words > VF_MAX_CARD_WORDS) {
      problems.push('The card text of beat ' + (i + 1) + ' has ' + words + ' words; keep it to ' + VF_MAX_CARD_WORDS + '.');
    }
  });
  return problems;
}

/** The "problems" list of a 400 problem+json body, or [] when it has none. */
function vfProblemList_(text) {
  try {
    const problem = JSON.parse(text || '');
    return problem && Array.isArray(problem.problems) ? problem.problems.filter(function (p) { return typeof p === 'string'; }) : [];
  } catch (e) {
    return [];
  }
}
