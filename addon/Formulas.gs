/**
 * @OnlyCurrentDoc
 * Formula functions. Custom functions cannot get an identity token, so they call POST /jobs/status with the
 * user's API key (Extensions > ViralForge > Settings). One backend call per formula call, whatever the range's size, and
 * answers are kept for VF_CACHE_SECONDS in the user's cache so that a recalculating sheet does not ask again.
 */

/**
 * The status of ViralForge jobs: queued, script, render, review, scheduled, published, failed, ...
 *
 * @param {string|string[][]} ids A Job ID, or a range of them.
 * @return {string|string[][]} The status of each job; a range gives a range of the same shape.
 * @customfunction
 */
function VF_STATUS(ids) {
  return vfJobFormula_(ids, function (job) { return job.status || ''; });
}

/**
 * The link to the finished video of ViralForge jobs ("" until rendered).
 *
 * @param {string|string[][]} ids A Job ID, or a range of them.
 * @return {string|string[][]} The video link of each job; a range gives a range of the same shape.
 * @customfunction
 */
function VF_VIDEO(ids) {
  return vfJobFormula_(ids, function (job) { return job.video || ''; });
}

/**
 * The public URL of published ViralForge jobs ("" until published).
 *
 * @param {string|string[][]} ids A Job ID, or a range of them.
 * @return {string|string[][]} The published URL of each job; a range gives a range of the same shape.
 * @customfunction
 */
function VF_URL(ids) {
  return vfJobFormula_(ids, function (job) { return job.publishedUrl || ''; });
}

/**
 * Answers a formula for one id or a 2-D range of them, keeping the shape; every cell gets a readable value,
 * never an exception (one bad cell must not hide the answers of the others).
 * @param {*} ids
 * @param {function(Object): string} pick
 * @return {*}
 */
function vfJobFormula_(ids, pick) {
  const grid = Array.isArray(ids) ? ids.map(function (row) { return Array.isArray(row) ? row : [row]; }) : [[ids]];
  const wanted = [];
  grid.forEach(function (row) {
    row.forEach(function (cell) {
      const id = vfJobIdOf_(cell);
      if (id && wanted.indexOf(id) < 0) {
        wanted.push(id);
      }
    });
  });
  const answers = wanted.length > 0 ? vfLookUpJobs_(wanted) : { jobs: {}, problem: '' };
  const out = grid.map(function (row) {
    return row.map(function (cell) {
      const id = vfJobIdOf_(cell);
      if (!id) {
        return '';
      }
      if (answers.problem) {
        return answers.problem;
      }
      const job = answers.jobs[id];
      if (!job) {
        return 'ViralForge error: no answer for this job';
      }
      if (!job.found) {
        return 'unknown job';
      }
      return pick(job);
    });
  });
  return Array.isArray(ids) ? out : out[0][0];
}

/** A cell's Job ID, or "" for an empty cell. */
function vfJobIdOf_(cell) {
  return cell === null || cell === undefined ? '' : vfTrim_(String(cell));
}

/**
 * The jobs of the given ids from the cache, asking the backend only for the others (in one fetchAll).
 * @param {string[]} ids
 * @return {{jobs: Object<string, Object>, problem: string}}
 */
function vfLookUpJobs_(ids) {
  const key = PropertiesService.getUserProperties().getProperty(VF_PROP_API_KEY);
  if (!key) {
    return { jobs: {}, problem: VF_SETUP_MESSAGE };
  }
  const cache = CacheService.getUserCache();
  // Cache keys are at most 250 characters; a longer "id" is no Job ID anyway and is asked about uncached.
  const cacheKey = function (id) { return 'vf:job:' + id; };
  const cacheable = ids.filter(function (id) { return id.length <= 200; });
  const cached = cache ? cache.getAll(cacheable.map(cacheKey)) : {};
  const jobs = {};
  const missing = [];
  ids.forEach(function (id) {
    const hit = cached[cacheKey(id)];
    if (hit) {
      try {
        jobs[id] = JSON.parse(hit);
        return;
      } catch (e) {
        // A damaged entry: ask again.
      }
    }
    missing.push(id);
  });
  if (missing.length === 0) {
    return { jobs: jobs, problem: '' };
  }
  const requests = [];
  for (let i = 0; i < missing.length; i += VF_STATUS_CHUNK) {
    requests.push(vfRequest_('post', 'jobs/status', key, { jobIds: missing.slice(i, i + VF_STATUS_CHUNK) }));
  }
  const responses = requests.length === 1 ? [vfFetch_(requests[0])] : UrlFetchApp.fetchAll(requests);
  const fresh = {};
  for (let r = 0; r < responses.length; r++) {
    const answer = vfReadAnswer_(responses[r], 'ViralForge');
    if (!answer.ok) {
      // 401 here is about the API key, not a Google sign-in: say how to get a new one.
      const detail = vfWithDetail_(vfProblemDetail_(responses[r].getContentText()));
      let problem = answer.message.replace(/^ViralForge failed: /, '');
      if (answer.status === 401) {
        problem = 'the API key was not accepted (401)' + detail + ' ' + VF_SETTINGS_PATH + ' issues a new one.';
      } else if (answer.status >= 500) {
        problem = 'the backend had a problem (' + answer.status + ')' + detail + ' Recalculate later.';
      }
      return { jobs: {}, problem: 'ViralForge error: ' + problem };
    }
    const list = answer.body && Array.isArray(answer.body.jobs) ? answer.body.jobs : null;
    if (!list) {
      return { jobs: {}, problem: 'ViralForge error: the backend\'s answer has no jobs list.' };
    }
    list.forEach(function (job) {
      if (job && typeof job.jobId === 'string') {
        const id = vfTrim_(job.jobId);
        jobs[id] = job;
        if (id.length <= 200) {
          fresh[cacheKey(id)] = JSON.stringify(job);
        }
      }
    });
  }
  if (cache && Object.keys(fresh).length > 0) {
    cache.putAll(fresh, VF_CACHE_SECONDS);
  }
  return { jobs: jobs, problem: '' };
}
