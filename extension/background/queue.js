/* One queue for every read-modify-write of the record: results, corrections, the background's
   own lines and a restored file are stored one at a time, in the order they arrive, so that
   no write is lost to another that read the record before it. */

/** The last task queued (its value is any task's). @type {Promise<any>} */
let last = Promise.resolve();

/**
 * Runs `task` after every task queued before it; resolves to its value (undefined on an error,
 * which is logged).
 * @template T
 * @param {() => T | Promise<T>} task
 * @param {string} what
 * @returns {Promise<T | undefined>}
 */
export function inOrder(task, what) {
  last = last
    .then(task)
    .catch((error) => console.error(`linkedin-ai-optout: could not ${what}`, error));
  return last;
}

/** Resolves once every task queued so far is done. */
export function queued() {
  return last;
}
